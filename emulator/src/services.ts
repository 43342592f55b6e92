import { fakeBureauFactory } from './bureau/service';
import { cloudPayService } from './cloudpay/service';
import { consoleService } from './console/service';
import { databaseService } from './database';
import { functionsService } from './functions';
import { httpAccessService } from './http-access/service';
import { openapiService } from './openapi/service';
import { secretsService } from './secrets';
import type { ServiceFactory } from './service';
import { storageService } from './storage/service';
import { timerService } from './timers/service';
import { wechatPaySandboxFactory } from './wechatpay';
import { workbenchService } from './workbench/service';

/**
 * Every local service, in start order. Later services may call earlier ones through
 * `ctx.service(name)` (e.g. the pay callbacks invoke functions).
 */
export const serviceFactories: ServiceFactory[] = [
  databaseService,
  storageService,
  functionsService,
  secretsService,
  // Cloud calls, cloudPay, HTTP access and timers invoke functions: keep them after the functions service.
  openapiService,
  cloudPayService,
  httpAccessService,
  timerService,
  wechatPaySandboxFactory,
  // The fake credit bureau hands WXLEND_CREDIT_BUREAU* to the reviewing functions.
  fakeBureauFactory,
  // The console at `GET /` only reads and calls the others, at request time.
  consoleService,
  // The operators' workbench web app at `/ops/` (static files; it calls HTTP access).
  workbenchService,
];
