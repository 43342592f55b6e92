import type { FunctionsApi } from '../functions/api';
import type { EmulatorContext, EmulatorService, ServiceFactory } from '../service';
import { registerApiRoutes } from './api-routes';
import { BillEngine } from './bill-engine';
import type { BillEvent, SandboxBill } from './bill-model';
import { BillStore } from './bill-store';
import { FaultPlan, type FaultSpec, type FaultSpecInput } from './fault-plan';
import { HangRegistry } from './hang-registry';
import { Notifier, type SandboxNotification } from './notifier';
import { loadOrCreateSandboxKeysInBackground, readSandboxKeys, type SandboxKeys } from './sandbox-keys';
import { signingFor, type SigningKind } from './sandbox-signing';
import { registerSideRoutes } from './side-routes';

/** Transfer scenes the sandbox merchant was granted; the first is handed to functions. */
const GRANTED_SCENE_IDS = ['1005', '1000'] as const;

/** The sandbox merchant's full configuration, as tests and functions need it. */
export interface SandboxMerchantConfig {
  baseUrl: string;
  mchId: string;
  appId: string;
  mchSerialNo: string;
  mchPrivateKeyPem: string;
  apiV3Key: string;
  publicKeyId: string;
  publicKeyPem: string;
  platformCertSerial: string;
  platformPublicKeyPem: string;
  transferSceneId: string;
}

/** One bill with its history and notifications, as the listing shows it. */
export interface SandboxBillListing {
  bill: Omit<SandboxBill, 'fingerprint'>;
  history: BillEvent[];
  notifications: SandboxNotification[];
}

/** The WeChat Pay APIv3 merchant-transfer sandbox (商家转账), served under the production paths. */
export class WechatPaySandbox implements EmulatorService {
  readonly name = 'wechatpay';
  private loadedKeys: SandboxKeys | undefined;
  private readonly store: BillStore;
  private readonly faults = new FaultPlan();
  private readonly hangs = new HangRegistry();
  private readonly notifier: Notifier;
  private readonly engine: BillEngine;
  private signWith: SigningKind = 'public_key';

  constructor(private readonly ctx: EmulatorContext) {
    // Existing keys are read now so calls arriving between listen and start are served; new ones are made in start().
    this.loadedKeys = readSandboxKeys(ctx.config.dataDir);
    this.store = new BillStore(ctx.sqlite);
    const signing = () => signingFor(this.keys, this.signWith);
    this.notifier = new Notifier({
      db: ctx.sqlite,
      clock: ctx.clock,
      scheduler: ctx.scheduler,
      bills: this.store,
      faults: this.faults,
      signing,
    });
    this.engine = new BillEngine({
      clock: ctx.clock,
      scheduler: ctx.scheduler,
      bills: this.store,
      faults: this.faults,
      notifier: this.notifier,
      mchId: () => this.keys.mchId,
    });
    registerApiRoutes(ctx.app, {
      clock: ctx.clock,
      keys: () => this.keys,
      signing,
      appId: ctx.config.appId,
      grantedSceneIds: GRANTED_SCENE_IDS,
      faults: this.faults,
      engine: this.engine,
      hangs: this.hangs,
      ready: () => this.loadedKeys !== undefined,
    });
    registerSideRoutes(ctx.app, {
      engine: this.engine,
      addFault: (spec) => this.addFault(spec),
      clearFaults: () => this.faults.clear(),
      pendingFaults: () => this.faults.pending(),
      listBills: () => this.listBills(),
      setSigningKind: (kind) => this.setSigningKind(kind),
    });
  }

  /** Hands the merchant configuration to every function and resumes unfinished work. */
  async start(): Promise<void> {
    let functions: FunctionsApi;
    try {
      functions = this.ctx.service<EmulatorService & FunctionsApi>('functions');
    } catch {
      throw new Error(
        'the wechatpay sandbox needs the functions service (emulator/src/services.ts) to hand WECHATPAY_* to functions',
      );
    }
    this.loadedKeys ??= await loadOrCreateSandboxKeysInBackground(this.ctx.config.dataDir);
    functions.contributeEnv(() => this.functionEnv());
    this.engine.resume();
    this.notifier.resume();
  }

  /** The sandbox's keys; they exist from `start()` on. */
  private get keys(): SandboxKeys {
    if (!this.loadedKeys)
      throw new Error('the wechatpay sandbox has not started: its keys are not loaded yet');
    return this.loadedKeys;
  }

  /** Releases requests held by timeout faults. */
  async stop(): Promise<void> {
    this.hangs.releaseAll();
  }

  /** What `/health` shows. */
  info(): Record<string, unknown> {
    return { mchId: this.loadedKeys?.mchId, signWith: this.signWith, bills: this.store.all().length };
  }

  /** Clears bills, notifications and faults; keys stay. */
  async reset(): Promise<void> {
    this.hangs.releaseAll();
    this.faults.clear();
    this.store.clear();
    this.notifier.clear();
    this.signWith = 'public_key';
  }

  /** The merchant configuration (keys included) of this sandbox. */
  merchantConfig(): SandboxMerchantConfig {
    return {
      baseUrl: this.ctx.baseUrl(),
      mchId: this.keys.mchId,
      appId: this.ctx.config.appId,
      mchSerialNo: this.keys.merchant.serial,
      mchPrivateKeyPem: this.keys.merchant.privateKeyPem,
      apiV3Key: this.keys.apiV3Key,
      publicKeyId: this.keys.publicKey.serial,
      publicKeyPem: this.keys.publicKey.publicKeyPem,
      platformCertSerial: this.keys.platform.serial,
      platformPublicKeyPem: this.keys.platform.publicKeyPem,
      transferSceneId: GRANTED_SCENE_IDS[0],
    };
  }

  /** The `WECHATPAY_*` variables functions receive (read by `wechatPayConfigFromEnv`). */
  functionEnv(): Record<string, string> {
    const config = this.merchantConfig();
    return {
      WECHATPAY_BASE_URL: config.baseUrl,
      WECHATPAY_MCH_ID: config.mchId,
      WECHATPAY_APP_ID: config.appId,
      WECHATPAY_MCH_SERIAL_NO: config.mchSerialNo,
      WECHATPAY_MCH_PRIVATE_KEY: config.mchPrivateKeyPem,
      WECHATPAY_APIV3_KEY: config.apiV3Key,
      WECHATPAY_PUBLIC_KEY_ID: config.publicKeyId,
      WECHATPAY_PUBLIC_KEY: config.publicKeyPem,
      WECHATPAY_PLATFORM_CERT_SERIAL: config.platformCertSerial,
      WECHATPAY_PLATFORM_CERT: config.platformPublicKeyPem,
      WECHATPAY_TRANSFER_SCENE_ID: config.transferSceneId,
    };
  }

  /** Scripts a fault (same shapes as `POST /_admin/wechatpay/faults`). */
  addFault(spec: FaultSpecInput): FaultSpec {
    return this.faults.add(spec);
  }

  /** Chooses which WeChat Pay key signs answers and notifications. */
  setSigningKind(kind: SigningKind): void {
    this.signWith = kind;
  }

  /** Every bill with its history and notification deliveries, newest first. */
  listBills(): SandboxBillListing[] {
    return this.store.all().map(({ fingerprint: _fingerprint, ...bill }) => ({
      bill,
      history: this.store.history(bill.mchId, bill.outBillNo),
      notifications: this.notifier.forBill(bill.mchId, bill.outBillNo),
    }));
  }
}

/** Service factory for emulator/src/services.ts. */
export const wechatPaySandboxFactory: ServiceFactory = (ctx) => new WechatPaySandbox(ctx);
