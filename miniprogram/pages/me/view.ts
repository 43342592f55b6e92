import type {
  ApplyBlock,
  ConsentKind,
  ConsentRecordView,
  CorrectableField,
  IdentityProfile,
} from '../../../typings/identity';
import { CORRECTABLE_FIELD_LABELS, RIGHTS_STATE_LABELS } from '../../shared/personal-rights';
import { dateTime } from '../../utils/format';

/** One consent as the page lists it. */
export interface ConsentRow {
  key: string;
  title: string;
  version: string;
  consentedAt: string;
  /** '有效' or when it was withdrawn. */
  state: string;
  withdrawn: boolean;
  /** The consent in force now: the one that can be withdrawn. */
  canWithdraw: boolean;
  /** The id of the row's withdraw button and the panel it opens (one per kind of consent). */
  withdrawId: string;
  panel: WithdrawPanel;
  /** The withdraw button's label. */
  withdrawLabel: string;
}

/** The confirmation panel each kind of consent is withdrawn through. */
export type WithdrawPanel = 'withdraw' | 'withdraw-credit';

/** Per kind of consent: its withdraw button's id and label, and its confirmation panel. */
const WITHDRAW_OF: Record<ConsentKind, Pick<ConsentRow, 'withdrawId' | 'panel' | 'withdrawLabel'>> = {
  sensitive_info: { withdrawId: 'withdraw-button', panel: 'withdraw', withdrawLabel: '撤回同意' },
  credit_inquiry: {
    withdrawId: 'withdraw-credit-button',
    panel: 'withdraw-credit',
    withdrawLabel: '撤回授权',
  },
};

/** What 我的 renders from the `profile` answer. */
export interface MeView {
  identity: { name: string; idNumber: string; phone: string; verifiedAt: string } | null;
  consents: ConsentRow[];
  /** The consent in force was withdrawn (or never given): offer to give it again. */
  canConsentAgain: boolean;
  deletion: { state: string; requestedAt: string; pending: boolean } | null;
  corrections: Array<{ key: string; text: string }>;
  /** What stops new applications, said once at the top; '' when nothing does. */
  block: string;
}

/** What the top of the page says when the borrower's own requests stop new applications. */
const BLOCK_TEXT: Record<ApplyBlock, string> = {
  consent_withdrawn: '您已撤回个人信息处理同意，暂不能申请借款；重新同意后即可恢复',
  deletion_requested: '注销申请处理中，暂不能申请借款；撤销注销申请后即可恢复',
  account_closed: '账号已注销，依法留存的信息仅用于法定核查，期满后删除',
};

/** The label of a correctable field. */
export function fieldLabel(field: CorrectableField): string {
  return CORRECTABLE_FIELD_LABELS[field];
}

/** One consent of the `profile` answer as a row. */
function consentRow(c: ConsentRecordView, index: number): ConsentRow {
  return {
    key: `${c.kind}-${c.version}-${index}`,
    title: c.title,
    version: c.version,
    consentedAt: dateTime(c.consentedAt),
    state: c.withdrawnAt === null ? '有效' : `已于 ${dateTime(c.withdrawnAt)} 撤回`,
    withdrawn: c.withdrawnAt !== null,
    canWithdraw: c.current && c.withdrawnAt === null,
    ...WITHDRAW_OF[c.kind],
  };
}

/** Formats the `profile` answer for the page. */
export function meView(profile: IdentityProfile): MeView {
  const identity = profile.identity;
  return {
    identity: identity
      ? {
          name: identity.maskedName,
          idNumber: identity.maskedIdNumber,
          phone: identity.maskedPhone,
          verifiedAt: dateTime(identity.verifiedAt),
        }
      : null,
    consents: profile.consents.map(consentRow),
    canConsentAgain:
      !profile.notice.consented && profile.consents.some((c) => c.kind === 'sensitive_info' && c.current),
    deletion: profile.deletion
      ? {
          state: RIGHTS_STATE_LABELS[profile.deletion.state],
          requestedAt: dateTime(profile.deletion.requestedAt),
          pending: profile.deletion.state === 'received',
        }
      : null,
    corrections: profile.corrections.map((c) => ({
      key: c.field,
      text: `${fieldLabel(c.field)}更正申请（${dateTime(c.requestedAt)}）：${RIGHTS_STATE_LABELS[c.state]}`,
    })),
    block: profile.applyBlock ? BLOCK_TEXT[profile.applyBlock] : '',
  };
}
