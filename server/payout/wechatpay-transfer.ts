import {
  encryptSensitiveField,
  transferBillCreatedSchema,
  WechatPayError,
  type WechatPayConfig,
  type WechatPayTransferClient,
} from '../wechatpay';
import type { TransferRequestBody } from './payout-doc';
import type { CancelOutcome, CreateOutcome, QueryOutcome, TransferApi } from './ports';

const TRANSFER_BILLS_PATH = '/v3/fund-app/mch-transfer/transfer-bills';

/** The error code worth recording (WeChat's own code when it gave one). */
function codeOf(error: WechatPayError): string {
  return error.details.apiCode ?? error.code;
}

/**
 * TransferApi over the signed APIv3 client. The create body is the one frozen in the intent and is
 * sent byte for byte on every retry (same number, same parameters, same encrypted name).
 */
export class WechatPayTransferApi implements TransferApi {
  constructor(
    private readonly client: WechatPayTransferClient,
    private readonly config: WechatPayConfig,
  ) {}

  /** Creates (or re-creates idempotently) the bill. */
  async create(body: TransferRequestBody): Promise<CreateOutcome> {
    try {
      const answer = await this.client.signedRequest('POST', TRANSFER_BILLS_PATH, JSON.stringify(body));
      if (answer.status >= 200 && answer.status < 300) {
        const parsed = transferBillCreatedSchema.safeParse(answer.body);
        if (!parsed.success) return { kind: 'ambiguous', code: 'MALFORMED_MESSAGE' };
        const outcome: CreateOutcome = {
          kind: 'accepted',
          state: parsed.data.state,
          transferBillNo: parsed.data.transfer_bill_no,
        };
        if (parsed.data.package_info) outcome.packageInfo = parsed.data.package_info;
        if (parsed.data.fail_reason) outcome.failReason = parsed.data.fail_reason;
        return outcome;
      }
      const error = apiError(answer.status, answer.body);
      return error.outcomeUnknown
        ? { kind: 'ambiguous', code: codeOf(error) }
        : { kind: 'refused', code: codeOf(error), message: error.message };
    } catch (error) {
      if (error instanceof WechatPayError && !error.outcomeUnknown) {
        return { kind: 'refused', code: codeOf(error), message: error.message };
      }
      return { kind: 'ambiguous', code: error instanceof WechatPayError ? codeOf(error) : 'CLIENT_ERROR' };
    }
  }

  /** Queries by out_bill_no; "not found" is not a failure. */
  async query(outBillNo: string): Promise<QueryOutcome> {
    try {
      const bill = await this.client.queryTransferBill(outBillNo);
      if (!bill) return { kind: 'not_found' };
      const found: QueryOutcome = {
        kind: 'found',
        state: bill.state,
        amount: bill.transfer_amount,
        openid: bill.openid ?? '',
        transferBillNo: bill.transfer_bill_no,
      };
      if (bill.fail_reason) found.failReason = bill.fail_reason;
      return found;
    } catch (error) {
      if (error instanceof WechatPayError && error.details.apiCode === 'NOT_FOUND')
        return { kind: 'not_found' };
      return { kind: 'ambiguous', code: error instanceof WechatPayError ? codeOf(error) : 'CLIENT_ERROR' };
    }
  }

  /** Requests a cancel. */
  async cancel(outBillNo: string): Promise<CancelOutcome> {
    try {
      const answer = await this.client.cancelTransferBill(outBillNo);
      if (answer.state === 'CANCELING' || answer.state === 'CANCELLED')
        return { kind: 'accepted', state: answer.state };
      return { kind: 'refused', code: `STATE_${answer.state}`, message: 'bill is past cancelling' };
    } catch (error) {
      if (error instanceof WechatPayError && !error.outcomeUnknown) {
        return { kind: 'refused', code: codeOf(error), message: error.message };
      }
      return { kind: 'ambiguous', code: error instanceof WechatPayError ? codeOf(error) : 'CLIENT_ERROR' };
    }
  }

  /** RSA-OAEP with the key WeChat names for sensitive fields. */
  encryptUserName(plain: string): string {
    const key = this.client.keyring.get(this.config.encryptionKeySerial);
    if (!key) throw new WechatPayError('CONFIG_INVALID', 'no key loaded for the encryption serial');
    return encryptSensitiveField(plain, key);
  }
}

/** The typed error an error answer stands for. */
function apiError(status: number, body: unknown): WechatPayError {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const apiCode = typeof record.code === 'string' ? record.code : 'UNKNOWN';
  return new WechatPayError('API_ERROR', `WeChat Pay answered ${status} ${apiCode}`, {
    httpStatus: status,
    apiCode,
  });
}
