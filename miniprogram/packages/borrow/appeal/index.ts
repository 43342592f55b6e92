import { messageOf } from '../../../services/errors';
import { appealDecision, getApplication } from '../../../services/loan';
import { stateOf } from '../../../utils/instance-state';
import type { LoadStatus } from '../../../utils/load-status';
import { progressView, type ProgressView } from '../progress/view';

/** Longest appeal text the `loan` function accepts. */
const MAX_REASON = 200;

const privateOf = (page: object): { applicationId: string } => stateOf(page, () => ({ applicationId: '' }));

/** Appeal: a short form tied to one decision, then that appeal's progress. */
Component({
  data: {
    load: 'loading' as LoadStatus,
    error: '',
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
      void this.refresh();
    },
    async refresh() {
      this.setData({ load: 'loading', error: '' });
      try {
        const app = await getApplication(privateOf(this).applicationId);
        this.setData({ load: 'ready', view: progressView(app, undefined), appealable: app.appealable });
      } catch (error) {
        this.setData({ load: 'error', error: messageOf(error) });
      }
    },
    onReasonInput(event: WechatMiniprogram.Input) {
      this.setData({ reason: event.detail.value, submitError: '' });
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
