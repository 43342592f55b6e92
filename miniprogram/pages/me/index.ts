import type { CorrectableField } from '../../../typings/identity';
import {
  CORRECTABLE_FIELD_LABELS,
  DELETION_RETENTION,
  RIGHTS_ANSWER_WORKING_DAYS,
  WITHDRAWAL_EFFECTS,
} from '../../shared/personal-rights';
import { SENSITIVE_INFO_NOTICE_TEXT } from '../../shared/sensitive-info-notice';
import { isRetryable, messageOf } from '../../services/errors';
import {
  cancelDeletion,
  consentToNotice,
  getProfile,
  requestCorrection,
  requestDeletion,
  withdrawConsent,
} from '../../services/identity';
import { stateOf } from '../../utils/instance-state';
import { ACTION_LABELS } from '../../utils/labels';
import type { LoadStatus } from '../../utils/load-status';
import { go, ROUTES } from '../../utils/routes';
import { meView, type MeView } from './view';

/** The notice in force, from the last `profile` answer (needed to consent again). */
const privateOf = (page: object): { notice?: { version: string; sha256: string } } =>
  stateOf(page, () => ({}));

/** Which confirmation is open: each right is explained before it is used. */
type Panel = '' | 'withdraw' | 'consent' | 'deletion' | 'correction';

/** 我的: personal information (masked), consents given, and the rights the notice promises. */
Component({
  data: {
    load: 'loading' as LoadStatus,
    error: '',
    retryable: true,
    view: null as MeView | null,
    panel: '' as Panel,
    busy: false,
    actionError: '',
    done: '',
    agreeNotice: false,
    correctionField: 'phone' as CorrectableField,
    correctionDetail: '',
    fields: Object.entries(CORRECTABLE_FIELD_LABELS).map(([value, label]) => ({ value, label })),
    withdrawalEffects: WITHDRAWAL_EFFECTS,
    retention: DELETION_RETENTION,
    answerDays: RIGHTS_ANSWER_WORKING_DAYS,
    noticeText: SENSITIVE_INFO_NOTICE_TEXT,
    labels: ACTION_LABELS,
  },
  methods: {
    onLoad() {
      void this.refresh();
    },
    onShow() {
      if (this.data.load !== 'loading') void this.refresh();
    },
    async refresh() {
      this.setData({ load: 'loading', error: '' });
      try {
        const profile = await getProfile();
        privateOf(this).notice = { version: profile.notice.version, sha256: profile.notice.sha256 };
        this.setData({ load: 'ready', view: meView(profile) });
      } catch (error) {
        this.setData({ load: 'error', error: messageOf(error), retryable: isRetryable(error) });
      }
    },
    onVerify() {
      go(ROUTES.identity);
    },
    onOpenPanel(event: WechatMiniprogram.BaseEvent) {
      const panel = String(event.currentTarget.dataset.panel) as Panel;
      this.setData({ panel, actionError: '', done: '', agreeNotice: false });
    },
    onClosePanel() {
      this.setData({ panel: '', actionError: '' });
    },
    onAgreeNotice(event: { detail: boolean }) {
      this.setData({ agreeNotice: event.detail });
    },
    onPickField(event: WechatMiniprogram.BaseEvent) {
      this.setData({ correctionField: event.currentTarget.dataset.value as CorrectableField });
    },
    onCorrectionInput(event: { detail: string }) {
      this.setData({ correctionDetail: event.detail, actionError: '' });
    },
    /** Runs one rights action; on success closes the panel, says what happened and shows the new state. */
    async act(work: () => Promise<unknown>, done: string) {
      if (this.data.busy) return;
      this.setData({ busy: true, actionError: '' });
      try {
        await work();
        this.setData({ panel: '', done, correctionDetail: '' });
        await this.refresh();
      } catch (error) {
        this.setData({ actionError: messageOf(error) });
      } finally {
        this.setData({ busy: false });
      }
    },
    onConfirmWithdraw() {
      const notice = privateOf(this).notice;
      if (!notice) return;
      void this.act(() => withdrawConsent(notice.version), '已撤回同意。如需借款，可随时在本页重新同意');
    },
    onConsentAgain() {
      const notice = privateOf(this).notice;
      if (!notice) return;
      if (!this.data.agreeNotice) {
        this.setData({ actionError: '请先阅读并勾选同意《敏感个人信息处理单独告知》' });
        return;
      }
      void this.act(() => consentToNotice(notice), '已重新同意，可以继续申请借款');
    },
    onConfirmDeletion() {
      void this.act(
        () => requestDeletion(),
        `注销申请已提交，我们将在${RIGHTS_ANSWER_WORKING_DAYS}个工作日内处理并通过服务通知告知您`,
      );
    },
    onCancelDeletion() {
      void this.act(() => cancelDeletion(), '已撤销注销申请');
    },
    onSubmitCorrection() {
      const detail = this.data.correctionDetail.trim();
      if (!detail) {
        this.setData({ actionError: '请填写正确的信息，以便工作人员核实更正' });
        return;
      }
      void this.act(
        () => requestCorrection({ field: this.data.correctionField, detail }),
        `更正申请已提交，工作人员将在${RIGHTS_ANSWER_WORKING_DAYS}个工作日内核实处理`,
      );
    },
  },
});
