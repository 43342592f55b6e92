import { isRetryable, messageOf } from '../../../services/errors';
import { appealDecision, getApplication } from '../../../services/loan';
import { stateOf } from '../../../utils/instance-state';
import { ACTION_LABELS } from '../../../utils/labels';
import type { LoadStatus } from '../../../utils/load-status';
import { go, ROUTES } from '../../../utils/routes';
import { progressView, type ProgressView } from '../progress/view';

/** Longest appeal text the `loan` function accepts. */
const MAX_REASON = 200;

const privateOf = (page: object): { applicationId: string } => stateOf(page, () => ({ applicationId: '' }));

/**
 * Appeal: a short form tied to one decision, then that appeal's progress — the reasons and the
 * borrower's own text stay on screen, with when a person promised to answer and the way home.
 */
Component({
  data: {
    load: 'loading' as LoadStatus,
    error: '',
    retryable: true,
    labels: ACTION_LABELS,
    view: null as ProgressView | null,
    appealable: false,
    reason: '',
    maxReason: MAX_REASON,
    submitting: false,
    submitError: '',
    submitted: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      privateOf(this).applicationId = query.id ?? '';
      if (!query.id) {
        this.setData({ load: 'error', error: '未找到该借款申请', retryable: false });
        return;
      }
      void this.refresh();
    },
    async refresh() {
      this.setData({ load: 'loading', error: '' });
      try {
        const app = await getApplication(privateOf(this).applicationId);
        this.setData({ load: 'ready', view: progressView(app, undefined), appealable: app.appealable });
      } catch (error) {
        this.setData({ load: 'error', error: messageOf(error), retryable: isRetryable(error) });
      }
    },
    onReasonInput(event: { detail: string }) {
      this.setData({ reason: event.detail, submitError: '' });
    },
    onHome() {
      go(ROUTES.home);
    },
    async onSubmit() {
      if (this.data.submitting) return;
      const reason = this.data.reason.trim();
      if (!reason) {
        this.setData({ submitError: '请简要说明复议理由' });
        return;
      }
      if (Array.from(reason).length > MAX_REASON) {
        this.setData({ submitError: `复议理由请控制在${MAX_REASON}字以内` });
        return;
      }
      this.setData({ submitting: true, submitError: '' });
      try {
        const app = await appealDecision(privateOf(this).applicationId, reason);
        this.setData({ view: progressView(app, undefined), appealable: false, submitted: true, reason: '' });
      } catch (error) {
        this.setData({ submitError: messageOf(error) });
      } finally {
        this.setData({ submitting: false });
      }
    },
  },
});
