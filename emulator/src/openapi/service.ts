import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DurableMap } from '../durable-map';
import type { EmulatorContext, EmulatorService } from '../service';
import type { FunctionsApi } from '../functions/api';
import { AccessTokens } from './access-tokens';
import { handleOpenApiAction } from './action';
import { FaceSessions } from './face-sessions';
import { registerHttpsApiRoutes } from './https-routes';
import { openApiHandlers } from './handlers';
import { imageHash } from './ocr-idcard';
import { OpenapiState, type IdCardImage, type OutboxEntry } from './state';
import { grantSubscriptions } from './subscribe-message';
import { PHONE_CODE_TTL_MS } from './test-data';
import { registerOpenapiRoutes } from './user-routes';

/** A fake JPEG: the SOI/APP0 header plus a unique token, so each registered image hashes apart. */
function fakeJpeg(token: string): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    Buffer.from(`wxlend-idcard:${token}`),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/**
 * The cloud-call (`cloud.openapi.*`) fakes: subscribe messages with per-user authorisations, SMS,
 * content check, ID-card OCR, phone number and risk rank; and the HTTPS-only server APIs
 * (access token, face verification) on api.weixin.qq.com's paths.
 */
export class OpenapiService implements EmulatorService {
  readonly name = 'openapi';
  /**
   * WeChat's side of these APIs (users' phone numbers, the ID cards they photographed, face sessions):
   * durable in the data folder, but in a file of its own, apart from the backend's database.
   */
  private readonly db: Database.Database;
  private readonly state: OpenapiState;
  /** Bytes of registered images (base64) by file name, durable with the rest of the state. */
  private readonly imageBytes: DurableMap<string>;
  /** The AppID/AppSecret pair and the access tokens issued for it (the secret is new each start). */
  readonly tokens: AccessTokens;
  /** getVerifyId sessions, durable with the rest of WeChat's side. */
  readonly faceSessions: FaceSessions;

  constructor(private readonly ctx: EmulatorContext) {
    this.db = new Database(path.join(ctx.config.dataDir, 'wechat-openapi.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.state = new OpenapiState(this.db);
    this.imageBytes = new DurableMap(this.db, 'openapi.imageBytes');
    this.tokens = new AccessTokens(ctx.config.appId, randomBytes(16).toString('hex'));
    this.faceSessions = new FaceSessions(
      new DurableMap(this.db, 'openapi.faceSessions'),
      new DurableMap(this.db, 'openapi.faceOutSeqNos'),
    );
    ctx.admin.register('wx.openApi', (request) =>
      handleOpenApiAction(
        {
          state: this.state,
          now: () => ctx.clock.now(),
          appId: ctx.config.appId,
          functions: () => this.functions(),
        },
        request,
      ),
    );
    registerOpenapiRoutes(ctx.app, this);
    registerHttpsApiRoutes(ctx.app, {
      tokens: this.tokens,
      face: this.faceSessions,
      now: () => ctx.clock.now(),
      record: (api, errcode, payload) =>
        this.state.record({ at: ctx.clock.now(), kind: 'call', api, errcode, payload }),
    });
  }

  /** Hands functions the mini-program credentials and where the HTTPS APIs are (see `wechatApiEnv`). */
  async start(): Promise<void> {
    this.functions()?.contributeEnv(() => this.wechatApiEnv());
  }

  /** `WECHAT_*` variables read by server/wechat-api/config.ts; functions that do not declare them never see them. */
  wechatApiEnv(): Record<string, string> {
    return {
      WECHAT_API_BASE_URL: this.ctx.baseUrl(),
      WECHAT_APP_ID: this.tokens.appId,
      WECHAT_APP_SECRET: this.tokens.appSecret,
    };
  }

  async stop(): Promise<void> {
    this.db.close();
  }

  info(): Record<string, unknown> {
    return { apis: Object.keys(openApiHandlers), outbox: this.state.outbox.length };
  }

  async reset(): Promise<void> {
    this.state.clear();
    this.imageBytes.clear();
    this.faceSessions.clear();
    this.tokens.revokeAll();
  }

  /** Recorded calls and messages, oldest first, optionally filtered. */
  outbox(filter: { kind?: string; api?: string } = {}): OutboxEntry[] {
    return this.state.outbox.filter(
      (e) => (!filter.kind || e.kind === filter.kind) && (!filter.api || e.api === filter.api),
    );
  }

  /** `wx.requestSubscribeMessage`: each accepted template grants the user one message. */
  grantSubscriptions(
    openid: string,
    tmplIds: string[],
    accepted: string[],
  ): Record<string, 'accept' | 'reject'> {
    this.markVisit(openid);
    return grantSubscriptions(this.state.grants, openid, tmplIds, accepted);
  }

  /** Authorisations left for one user and template. */
  remainingGrants(openid: string, templateId: string): number {
    return this.state.grants.get(`${openid}\u0000${templateId}`) ?? 0;
  }

  /** The getPhoneNumber button: a single-use code valid 5 minutes of emulator time. */
  issuePhoneCode(openid: string, phone: string): { code: string; expiresAt: number } {
    this.markVisit(openid);
    const code = randomBytes(16).toString('hex');
    const issuedAt = this.ctx.clock.now();
    this.state.phoneCodes.set(code, { openid, phone, issuedAt, used: false });
    return { code, expiresAt: issuedAt + PHONE_CODE_TTL_MS };
  }

  /** `wx.requestFacialVerify` on the borrower's device: undefined when it ran, else the `fail` errMsg. */
  runFacialVerify(input: { openid: string; verifyId: string; verifyRet: number }): string | undefined {
    this.markVisit(input.openid);
    return this.faceSessions.runOnDevice(input, this.ctx.clock.now());
  }

  /** Makes an ID-card image `ocr.idcard` recognises; returns its bytes (base64) and a URL for `imgUrl`. */
  registerIdCardImage(card: IdCardImage): { imgUrl: string; imageBase64: string; contentType: string } {
    const token = randomBytes(12).toString('hex');
    const bytes = fakeJpeg(token);
    const imgUrl = `${this.ctx.baseUrl()}/_user/ocr-image/${token}.jpg`;
    this.state.imagesByHash.set(imageHash(bytes), card);
    this.state.imagesByUrl.set(imgUrl, card);
    this.imageBytes.set(`${token}.jpg`, bytes.toString('base64'));
    return { imgUrl, imageBase64: bytes.toString('base64'), contentType: 'image/jpeg' };
  }

  /** Bytes of a registered image by file name. */
  idCardImageBytes(file: string): Buffer | undefined {
    const base64 = this.imageBytes.get(file);
    return base64 === undefined ? undefined : Buffer.from(base64, 'base64');
  }

  /** Records that the user opened the mini-program now (msgSecCheck v2 needs a visit within 2 h). */
  markVisit(openid: string): void {
    this.state.lastSeen.set(openid, this.ctx.clock.now());
  }

  private functions(): FunctionsApi | undefined {
    try {
      return this.ctx.service<EmulatorService & FunctionsApi>('functions');
    } catch {
      return undefined;
    }
  }
}

/** Factory for services.ts. */
export function openapiService(ctx: EmulatorContext): EmulatorService {
  return new OpenapiService(ctx);
}
