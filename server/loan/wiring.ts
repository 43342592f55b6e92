import { retryingOnConflict } from '../storage/conflict-retry';
import { SdkDocStore, type SdkDatabase } from '../storage/sdk-store';
import { systemClock } from '../clock';
import { blindIndex } from '../identity/borrower-access';
import { limitsInForceFromEnv } from '../limits/policy';
import { piiKeysFromEnv } from '../pii';
import { DEFAULT_AML_POLICY } from '../risk/aml';
import { LocalCreditData } from '../risk/credit-data';
import { riskPolicy } from '../risk/policy';
import { getCloud, getDb } from '../runtime/cloud';
import { loanProductConfig } from './config';
import type { LoanDeps, RiskRankSource } from './deps';

/** WeChat's risk rank through `cloud.openapi.riskControl.getUserRiskRank`; null when the call fails. */
export function sdkRiskRank(): RiskRankSource {
  return async (openid, clientIp) => {
    const api = getCloud().openapi as unknown as {
      riskControl: {
        getUserRiskRank(p: {
          openid: string;
          scene: number;
          clientIp: string;
        }): Promise<Record<string, unknown>>;
      };
    };
    try {
      const answer = await api.riskControl.getUserRiskRank({
        openid,
        scene: 0,
        clientIp: clientIp ?? '0.0.0.0',
      });
      const rank = answer.riskRank ?? answer.risk_rank;
      return typeof rank === 'number' && rank >= 0 && rank <= 4 ? rank : null;
    } catch {
      return null;
    }
  };
}

/** The production wiring: real database, system clock, configuration from the environment. */
export function loanDepsFromEnv(env: NodeJS.ProcessEnv = process.env): LoanDeps {
  const keys = piiKeysFromEnv(env);
  return {
    store: retryingOnConflict(new SdkDocStore(getDb() as unknown as SdkDatabase)),
    clock: systemClock,
    config: loanProductConfig(env),
    limits: limitsInForceFromEnv(env),
    risk: riskPolicy(env),
    aml: DEFAULT_AML_POLICY,
    credit: new LocalCreditData((idNumber) => blindIndex(keys, idNumber)),
    riskRank: sdkRiskRank(),
  };
}
