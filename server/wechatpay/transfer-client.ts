import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { systemClock, type Clock } from '../clock';
import type { WechatPayConfig } from './config';
import { WechatPayError } from './errors';
import { WechatPayKeyring } from './keyring';
import { buildAuthorization, newNonce, type MerchantSigner } from './request-signature';
import { verifyWechatpaySignature } from './response-signature';
import { createTransferBody } from './transfer-input';
import {
  apiErrorBodySchema,
  transferBillCancelledSchema,
  transferBillCreatedSchema,
  transferBillSchema,
  type CreateTransferInput,
  type TransferBill,
  type TransferBillCancelResult,
  type TransferBillCreated,
} from './transfer-types';

const TRANSFER_BILLS_PATH = '/v3/fund-app/mch-transfer/transfer-bills';

/** A verified answer: HTTP status, parsed JSON and the raw text that was verified. */
export interface VerifiedResponse {
  status: number;
  body: unknown;
  rawBody: string;
}

/** Options for tests and special runtimes. */
export interface TransferClientOptions {
  /** Time source for request timestamps and the answer's 5-minute window. */
  clock?: Clock;
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
}

/**
 * Typed client for 商家转账 (merchant transfer, upgraded): create, query by out_bill_no, cancel.
 * Every request is signed with the merchant key; every answer's signature is verified before it is
 * believed. Failures throw WechatPayError; check `outcomeUnknown` before ever issuing a new out_bill_no.
 */
export class WechatPayTransferClient {
  /** Keys that verify WeChat Pay's signatures (share it with the notification handler). */
  readonly keyring: WechatPayKeyring;
  private readonly signer: MerchantSigner;
  private readonly clock: Clock;
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly config: WechatPayConfig,
    options: TransferClientOptions = {},
  ) {
    this.keyring = new WechatPayKeyring(config.verificationKeys);
    this.signer = {
      mchId: config.mchId,
      serialNo: config.mchSerialNo,
      privateKey: createPrivateKey(config.mchPrivateKeyPem),
    };
    this.clock = options.clock ?? systemClock;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /**
   * Creates a transfer bill. Safe to repeat with the SAME input after any outcome-unknown error:
   * WeChat answers the existing bill. The answer's `package_info` goes to `wx.requestMerchantTransfer`.
   */
  async createTransferBill(input: CreateTransferInput): Promise<TransferBillCreated> {
    const body = createTransferBody(input, this.config.appId, this.encryptionKey());
    const answer = await this.signedRequest('POST', TRANSFER_BILLS_PATH, JSON.stringify(body));
    return this.expectOk(answer, transferBillCreatedSchema);
  }

  /**
   * Queries a bill by our out_bill_no (last 30 days only). `null` when WeChat knows no such bill,
   * which right after a create may mean "still processing", not failure.
   */
  async queryTransferBill(outBillNo: string): Promise<TransferBill | null> {
    const answer = await this.signedRequest(
      'GET',
      `${TRANSFER_BILLS_PATH}/out-bill-no/${encodeURIComponent(outBillNo)}`,
    );
    if (answer.status === 404) return null;
    return this.expectOk(answer, transferBillSchema);
  }

  /** Asks to cancel a bill the user has not confirmed yet; CANCELING is not final, wait for CANCELLED. */
  async cancelTransferBill(outBillNo: string): Promise<TransferBillCancelResult> {
    const answer = await this.signedRequest(
      'POST',
      `${TRANSFER_BILLS_PATH}/out-bill-no/${encodeURIComponent(outBillNo)}/cancel`,
    );
    return this.expectOk(answer, transferBillCancelledSchema);
  }

  /**
   * Sends one signed request and verifies the answer's signature (any status). Lower level than the
   * typed methods; use it for endpoints they do not cover.
   */
  async signedRequest(method: 'GET' | 'POST', urlPath: string, body = ''): Promise<VerifiedResponse> {
    const timestamp = Math.floor(this.clock.now() / 1000);
    const authorization = buildAuthorization(this.signer, {
      method,
      urlPath,
      body,
      timestamp,
      nonce: newNonce(),
    });
    const headers: Record<string, string> = {
      Authorization: authorization,
      Accept: 'application/json',
      'User-Agent': 'wxlend-wechatpay/1',
      'Wechatpay-Serial': this.config.encryptionKeySerial,
    };
    if (body) headers['Content-Type'] = 'application/json';
    let response: Response;
    let rawBody: string;
    try {
      response = await this.fetchImpl(`${this.config.baseUrl}${urlPath}`, {
        method,
        headers,
        body: body || undefined,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      rawBody = await response.text();
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new WechatPayError('TIMEOUT', `no answer within ${this.config.timeoutMs} ms; outcome unknown`);
      throw new WechatPayError('NETWORK_ERROR', 'connection to WeChat Pay failed; outcome unknown');
    }
    verifyWechatpaySignature({
      headers: Object.fromEntries(response.headers.entries()),
      body: rawBody,
      keyring: this.keyring,
      nowMs: this.clock.now(),
    });
    let parsed: unknown = undefined;
    if (rawBody) {
      try {
        parsed = JSON.parse(rawBody);
      } catch {
        throw new WechatPayError('MALFORMED_MESSAGE', `answer ${response.status} is not JSON`, {
          httpStatus: response.status,
        });
      }
    }
    return { status: response.status, body: parsed, rawBody };
  }

  private expectOk<T>(answer: VerifiedResponse, schema: z.ZodType<T>): T {
    if (answer.status >= 200 && answer.status < 300) {
      const parsed = schema.safeParse(answer.body);
      if (!parsed.success)
        throw new WechatPayError('MALFORMED_MESSAGE', 'answer does not match the documented shape', {
          httpStatus: answer.status,
        });
      return parsed.data;
    }
    const error = apiErrorBodySchema.safeParse(answer.body);
    const apiCode = error.success ? error.data.code : 'UNKNOWN';
    const message = error.success && error.data.message ? error.data.message : 'no message';
    throw new WechatPayError('API_ERROR', `WeChat Pay answered ${answer.status} ${apiCode}: ${message}`, {
      httpStatus: answer.status,
      apiCode,
    });
  }

  private encryptionKey(): KeyObject {
    const key = this.keyring.get(this.config.encryptionKeySerial);
    if (!key) throw new WechatPayError('CONFIG_INVALID', 'no key loaded for the encryption serial');
    return key;
  }
}
