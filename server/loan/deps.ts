import type { DocStore } from '../storage/doc-store';
import type { Clock } from '../clock';
import type { LimitsPolicy } from '../limits/policy';
import type { CreditDataSource } from '../risk/credit-data';
import type { AmlPolicy } from '../risk/aml';
import type { RiskPolicy } from '../risk/policy';
import type { LoanProductConfig } from './config';

/** WeChat's risk rank for an openid + client IP (openapi riskControl.getUserRiskRank); null when unavailable. */
export type RiskRankSource = (openid: string, clientIp: string | null) => Promise<number | null>;

/** Everything the lending use cases need, injected so tests can supply their own. */
export interface LoanDeps {
  store: DocStore;
  clock: Clock;
  config: LoanProductConfig;
  limits: LimitsPolicy;
  risk: RiskPolicy;
  aml: AmlPolicy;
  credit: CreditDataSource;
  riskRank: RiskRankSource;
}
