import type { StoredDoc } from '../storage/doc-store';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { revealIdentity } from '../identity/borrower-access';
import { BORROWERS } from '../loan/application-doc';
import type { LoanDeps } from '../loan/deps';
import { piiKeysFromEnv } from '../pii';
import { getCloud } from '../runtime/cloud';
import type { NotifyPorts } from './deliver';

/** The open API calls notify makes (its config.json grants them). */
interface NotifyOpenApi {
  subscribeMessage: { send(p: Record<string, unknown>): Promise<unknown> };
  cloudbase: { sendSms(p: Record<string, unknown>): Promise<unknown> };
}

/** Delivery over `cloud.openapi`; the phone comes decrypted from the identity domain, only for the SMS. */
export function sdkNotifyPorts(deps: LoanDeps): NotifyPorts {
  const api = (): NotifyOpenApi => getCloud().openapi as unknown as NotifyOpenApi;
  return {
    async sendSubscribe(message) {
      await api().subscribeMessage.send({ ...message });
    },
    async sendSms(phone, notice) {
      await api().cloudbase.sendSms({
        env: process.env.TCB_ENV ?? '',
        smsType: 'Notification',
        templateId: notice.templateId,
        templateParamList: notice.params,
        phoneNumberList: [phone],
      });
    },
    async phoneOf(openid) {
      const borrower = await deps.store.get<BorrowerDoc & StoredDoc>(BORROWERS, openid);
      if (!borrower?.identity) return null;
      const revealed = await revealIdentity(
        { store: deps.store, keys: piiKeysFromEnv() },
        openid,
        'sms-fallback',
      );
      const digits = revealed.phone.replace(/^\+?86/, '');
      return /^1\d{10}$/.test(digits) ? `+86${digits}` : null;
    },
  };
}
