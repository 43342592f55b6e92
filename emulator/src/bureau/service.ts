import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { maskIdNumber } from '../../../shared/masking';
import { CREDIT_REPORTS_PATH, creditReportRequestSchema } from '../../../server/bureau/protocol';
import {
  BUREAU_HEADERS,
  BUREAU_TIMESTAMP_WINDOW_S,
  bureauSignatureMatches,
} from '../../../server/bureau/signature';
import type { FunctionsApi } from '../functions/api';
import { loopbackOnly } from '../loopback';
import type { EmulatorContext, EmulatorService, ServiceFactory } from '../service';
import { HangRegistry } from '../wechatpay/hang-registry';
import { BureauFaultPlan, bureauFaultSchema, type BureauFault } from './fault-plan';
import { testCreditFile } from './test-files';

/** Where the fake bureau answers, below the backend's base URL. */
export const BUREAU_PREFIX = '/bureau';
/** The client id the local functions are given. */
export const LOCAL_BUREAU_CLIENT_ID = 'wxlend-local';

/** One request the fake bureau received (no personal data beyond the masked ID number). */
export interface BureauInquiry {
  at: number;
  inquiryId?: string;
  maskedIdNumber?: string;
  authorisationVersion?: string;
  /** `found` / `none`, the refusal code, or the fault that answered. */
  answer: string;
}

/** A refusal of the protocol: HTTP status, stable code, message. */
class BureauRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const faultsBodySchema = z.union([z.strictObject({ clear: z.literal(true) }), bureauFaultSchema]);

/** A header's single value. */
function header(request: FastifyRequest, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * The local credit bureau: serves the signed protocol of server/bureau (docs/credit-bureau.md) with
 * the documented test identities, verifying client id, timestamp window, single-use nonce and the
 * HMAC signature; faults (slow, down, malformed) are set through `POST /_admin/bureau/faults`.
 * Hands `WXLEND_CREDIT_BUREAU*` to the functions that declare them.
 */
export class FakeBureauService implements EmulatorService {
  readonly name = 'bureau';
  /** The shared signing key of this process (functions receive it as WXLEND_CREDIT_BUREAU_KEY). */
  readonly key = randomBytes(32);
  private readonly faults = new BureauFaultPlan();
  private readonly hangs = new HangRegistry();
  private readonly nonces = new Map<string, number>();
  private inquiries: BureauInquiry[] = [];

  constructor(private readonly ctx: EmulatorContext) {
    this.registerRoutes(ctx.app);
  }

  async start(): Promise<void> {
    this.ctx.service<EmulatorService & FunctionsApi>('functions').contributeEnv(() => this.functionEnv());
  }

  async stop(): Promise<void> {
    this.hangs.releaseAll();
  }

  info(): Record<string, unknown> {
    return { inquiries: this.inquiries.length, faults: this.faults.pending().length };
  }

  /** Drops inquiries, nonces and faults; the key stays. */
  async reset(): Promise<void> {
    this.hangs.releaseAll();
    this.faults.clear();
    this.nonces.clear();
    this.inquiries = [];
  }

  /** The variables a reviewing function receives (read by server/bureau/config.ts). */
  functionEnv(): Record<string, string> {
    return {
      WXLEND_CREDIT_BUREAU: 'http',
      WXLEND_CREDIT_BUREAU_URL: `${this.ctx.baseUrl()}${BUREAU_PREFIX}`,
      WXLEND_CREDIT_BUREAU_CLIENT_ID: LOCAL_BUREAU_CLIENT_ID,
      WXLEND_CREDIT_BUREAU_KEY: this.key.toString('base64'),
    };
  }

  /** Scripts a fault (same shape as `POST /_admin/bureau/faults`). */
  addFault(spec: z.input<typeof bureauFaultSchema>): BureauFault {
    return this.faults.add(spec);
  }

  /** Requests received so far, oldest first. */
  received(): BureauInquiry[] {
    return this.inquiries.map((inquiry) => ({ ...inquiry }));
  }

  private registerRoutes(app: FastifyInstance): void {
    void app.register(async (scope) => {
      // The signature covers the exact bytes: keep bodies raw.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
      scope.post(`${BUREAU_PREFIX}${CREDIT_REPORTS_PATH}`, (request, reply) => this.answer(request, reply));
    });
    app.post('/_admin/bureau/faults', { preHandler: loopbackOnly }, async (request, reply) => {
      const parsed = faultsBodySchema.safeParse(request.body);
      if (!parsed.success)
        return reply
          .code(400)
          .send({ code: 'INVALID_FAULT', message: parsed.error.issues[0]?.message ?? 'invalid' });
      if ('clear' in parsed.data) this.faults.clear();
      else this.faults.add(parsed.data);
      return { faults: this.faults.pending() };
    });
    app.get('/_admin/bureau/inquiries', { preHandler: loopbackOnly }, async () => ({
      inquiries: this.received(),
    }));
  }

  private async answer(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const at = this.ctx.clock.now();
    const raw = typeof request.body === 'string' ? request.body : '';
    let inquiry: z.infer<typeof creditReportRequestSchema>;
    try {
      inquiry = this.authenticate(request, raw, at);
    } catch (error) {
      if (!(error instanceof BureauRefusal)) throw error;
      this.inquiries.push({ at, answer: error.code });
      return reply.code(error.status).send({ code: error.code, message: error.message });
    }
    const record: BureauInquiry = {
      at,
      inquiryId: inquiry.inquiryId,
      maskedIdNumber: maskIdNumber(inquiry.subject.idNumber),
      authorisationVersion: inquiry.authorisation.version,
      answer: '',
    };
    this.inquiries.push(record);
    const fault = this.faults.take();
    if (fault?.kind === 'down') {
      record.answer = 'down';
      return reply.code(503).send({ code: 'SERVICE_UNAVAILABLE', message: 'bureau unavailable' });
    }
    if (fault?.kind === 'malformed') {
      record.answer = 'malformed';
      return reply.code(200).send({ found: true, report: { creditHistoryMonths: 'many', overdueCount: -1 } });
    }
    if (fault?.kind === 'slow') await this.hangs.hang(fault.delayMs);
    const profile = testCreditFile(inquiry.subject.idNumber);
    record.answer = `${fault ? 'slow:' : ''}${profile ? 'found' : 'none'}`;
    return reply.code(200).send(profile ? { found: true, report: profile } : { found: false });
  }

  /** Checks client id, timestamp window, nonce and signature, then the body; throws BureauRefusal. */
  private authenticate(
    request: FastifyRequest,
    raw: string,
    at: number,
  ): z.infer<typeof creditReportRequestSchema> {
    const timestamp = header(request, BUREAU_HEADERS.timestamp);
    const nonce = header(request, BUREAU_HEADERS.nonce);
    const signature = header(request, BUREAU_HEADERS.signature);
    if (header(request, BUREAU_HEADERS.client) !== LOCAL_BUREAU_CLIENT_ID)
      throw new BureauRefusal(401, 'CLIENT_UNKNOWN', 'unknown client id');
    const seconds = Number(timestamp);
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(seconds - at / 1000) > BUREAU_TIMESTAMP_WINDOW_S)
      throw new BureauRefusal(401, 'TIMESTAMP_EXPIRED', 'timestamp outside the 300 s window');
    if (!bureauSignatureMatches(this.key, { timestamp, nonce, body: raw, signature }))
      throw new BureauRefusal(401, 'SIGNATURE_INVALID', 'signature does not match');
    this.forgetOldNonces(at);
    if (this.nonces.has(nonce)) throw new BureauRefusal(401, 'NONCE_REUSED', 'nonce already used');
    this.nonces.set(nonce, at);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new BureauRefusal(400, 'INVALID_REQUEST', 'body is not JSON');
    }
    const parsed = creditReportRequestSchema.safeParse(json);
    if (!parsed.success || parsed.data.inquiryId !== nonce)
      throw new BureauRefusal(400, 'INVALID_REQUEST', 'body does not follow the protocol');
    return parsed.data;
  }

  /** Nonces older than the timestamp window can no longer be replayed: drop them. */
  private forgetOldNonces(at: number): void {
    for (const [nonce, seen] of this.nonces)
      if (at - seen > 2 * BUREAU_TIMESTAMP_WINDOW_S * 1000) this.nonces.delete(nonce);
  }
}

/** Service factory for emulator/src/services.ts. */
export const fakeBureauFactory: ServiceFactory = (ctx) => new FakeBureauService(ctx);
