import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorClock } from '../clock';
import { SandboxApiError } from './api-error';
import type { BillEngine } from './bill-engine';
import type { SandboxBill } from './bill-model';
import { checkCreateRequest } from './create-request';
import type { ApiEndpoint, ApiFault, FaultPlan } from './fault-plan';
import type { HangRegistry } from './hang-registry';
import { merchantSignatureValid, parseAuthorization, signingHeaders } from './sandbox-crypto';
import type { SandboxKeys } from './sandbox-keys';
import type { SandboxSigning } from './sandbox-signing';
import { beijingTime } from './time-format';

/** What the merchant API routes need from the sandbox. */
export interface ApiRouteDeps {
  clock: EmulatorClock;
  keys: () => SandboxKeys;
  signing: () => SandboxSigning;
  appId: string;
  grantedSceneIds: readonly string[];
  faults: FaultPlan;
  engine: BillEngine;
  hangs: HangRegistry;
  /** False until the keys exist (first start generates them after the server already listens). */
  ready: () => boolean;
}

const BILLS = '/v3/fund-app/mch-transfer/transfer-bills';
const SIGNATURE_WINDOW_SECONDS = 300;

/** Answers of the fault kinds that reply at once. */
const FAULT_ANSWERS: Record<string, { status: number; code: string; message: string }> = {
  system_error: { status: 500, code: 'SYSTEM_ERROR', message: '系统错误' },
  frequency_limited: { status: 429, code: 'FREQUENCY_LIMITED', message: '频率超限' },
  not_enough: { status: 403, code: 'NOT_ENOUGH', message: '资金不足' },
  unknown_code: { status: 500, code: 'SANDBOX_UNDOCUMENTED_ERROR', message: '未知错误' },
  no_auth: { status: 403, code: 'NO_AUTH', message: '商户无此转账场景权限' },
};

/** Sends a JSON answer signed with the configured WeChat Pay key, as every APIv3 answer is. */
function sendSigned(deps: ApiRouteDeps, reply: FastifyReply, status: number, payload: unknown): FastifyReply {
  const body = JSON.stringify(payload);
  const signing = deps.signing();
  const headers = signingHeaders({
    body,
    timestampSeconds: Math.floor(deps.clock.now() / 1000),
    serial: signing.serial,
    privateKeyPem: signing.privateKeyPem,
  });
  return reply
    .code(status)
    .headers({ ...headers, 'Request-ID': randomUUID() })
    .type('application/json')
    .send(body);
}

/** Verifies the merchant's Authorization header (key, serial, signature, 5-minute window). */
function authenticate(deps: ApiRouteDeps, request: FastifyRequest, rawBody: string): void {
  const keys = deps.keys();
  const auth = parseAuthorization(request.headers.authorization);
  if (!auth)
    throw new SandboxApiError(
      401,
      'SIGN_ERROR',
      'Authorization header is missing or not WECHATPAY2-SHA256-RSA2048',
    );
  if (auth.mchid !== keys.mchId) throw new SandboxApiError(401, 'SIGN_ERROR', 'mchid is unknown');
  if (auth.serial_no !== keys.merchant.serial)
    throw new SandboxApiError(401, 'SIGN_ERROR', 'serial_no is not the registered merchant certificate');
  const now = Math.floor(deps.clock.now() / 1000);
  if (!/^\d+$/.test(auth.timestamp) || Math.abs(now - Number(auth.timestamp)) > SIGNATURE_WINDOW_SECONDS)
    throw new SandboxApiError(401, 'SIGN_ERROR', 'timestamp is more than 5 minutes from now');
  const valid = merchantSignatureValid({
    auth,
    method: request.method,
    url: request.url,
    body: rawBody,
    merchantPublicKeyPem: keys.merchant.publicKeyPem,
  });
  if (!valid) throw new SandboxApiError(401, 'SIGN_ERROR', 'signature does not verify with the merchant key');
}

function createAnswer(bill: SandboxBill): Record<string, unknown> {
  const open = bill.state === 'ACCEPTED' || bill.state === 'PROCESSING' || bill.state === 'WAIT_USER_CONFIRM';
  return {
    out_bill_no: bill.outBillNo,
    transfer_bill_no: bill.transferBillNo,
    create_time: beijingTime(bill.createdAt),
    state: bill.state,
    ...(bill.failReason ? { fail_reason: bill.failReason } : {}),
    ...(open && !bill.packageConsumed ? { package_info: bill.packageInfo } : {}),
  };
}

function queryAnswer(bill: SandboxBill): Record<string, unknown> {
  return {
    mch_id: bill.mchId,
    out_bill_no: bill.outBillNo,
    transfer_bill_no: bill.transferBillNo,
    appid: bill.appId,
    state: bill.state,
    transfer_amount: bill.transferAmount,
    transfer_remark: bill.transferRemark,
    ...(bill.failReason ? { fail_reason: bill.failReason } : {}),
    openid: bill.openid,
    ...(bill.userNameCipher ? { user_name: bill.userNameCipher } : {}),
    create_time: beijingTime(bill.createdAt),
    update_time: beijingTime(bill.updatedAt),
  };
}

/**
 * Runs one merchant call: authenticate, apply a pending fault, run the operation, answer signed.
 * `timeout_applied` runs the operation then hangs; `timeout_not_applied` hangs without running it.
 */
async function handle(
  deps: ApiRouteDeps,
  endpoint: ApiEndpoint,
  request: FastifyRequest,
  reply: FastifyReply,
  operation: (rawBody: string) => { status: number; payload: unknown },
): Promise<FastifyReply> {
  const rawBody = typeof request.body === 'string' ? request.body : '';
  // Without keys nothing can be verified or signed: answer an unsigned 503 the client treats as ambiguous.
  if (!deps.ready()) return reply.code(503).send({ code: 'SYSTEM_ERROR', message: 'sandbox is starting' });
  try {
    authenticate(deps, request, rawBody);
    const fault: ApiFault | undefined = deps.faults.takeApi(endpoint);
    if (fault?.kind === 'timeout_not_applied') {
      await deps.hangs.hang(fault.hangMs);
      return sendSigned(deps, reply, 500, { code: 'SYSTEM_ERROR', message: '系统超时' });
    }
    if (fault?.kind === 'timeout_applied') {
      const answer = operation(rawBody);
      await deps.hangs.hang(fault.hangMs);
      return sendSigned(deps, reply, answer.status, answer.payload);
    }
    const immediate = fault ? FAULT_ANSWERS[fault.kind] : undefined;
    if (immediate)
      return sendSigned(deps, reply, immediate.status, { code: immediate.code, message: immediate.message });
    const answer = operation(rawBody);
    return sendSigned(deps, reply, answer.status, answer.payload);
  } catch (error) {
    if (error instanceof SandboxApiError)
      return sendSigned(deps, reply, error.status, { code: error.code, message: error.message });
    console.error(`[wechatpay] ${endpoint} failed: ${(error as Error).message}`);
    return sendSigned(deps, reply, 500, { code: 'SYSTEM_ERROR', message: '系统错误' });
  }
}

/** Registers the production paths under /v3 in a scope that keeps bodies raw (signatures cover raw bytes). */
export function registerApiRoutes(app: FastifyInstance, deps: ApiRouteDeps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scope.post(BILLS, (request, reply) =>
      handle(deps, 'create', request, reply, (rawBody) => {
        const serial = request.headers['wechatpay-serial'];
        const accepted = checkCreateRequest({
          rawBody,
          wechatpaySerial: Array.isArray(serial) ? serial[0] : serial,
          keys: deps.keys(),
          appId: deps.appId,
          grantedSceneIds: deps.grantedSceneIds,
        });
        return { status: 200, payload: createAnswer(deps.engine.create(accepted)) };
      }),
    );

    scope.get<{ Params: { outBillNo: string } }>(`${BILLS}/out-bill-no/:outBillNo`, (request, reply) =>
      handle(deps, 'query', request, reply, () => {
        const bill = deps.engine.find(request.params.outBillNo);
        if (!bill) throw new SandboxApiError(404, 'NOT_FOUND', '记录不存在');
        return { status: 200, payload: queryAnswer(bill) };
      }),
    );

    scope.post<{ Params: { outBillNo: string } }>(
      `${BILLS}/out-bill-no/:outBillNo/cancel`,
      (request, reply) =>
        handle(deps, 'cancel', request, reply, () => {
          const bill = deps.engine.cancel(request.params.outBillNo);
          return {
            status: 200,
            payload: {
              out_bill_no: bill.outBillNo,
              transfer_bill_no: bill.transferBillNo,
              state: bill.state,
              update_time: beijingTime(bill.updatedAt),
            },
          };
        }),
    );
  });
}
