import { retryingOnConflict } from '../storage/conflict-retry';
import { SdkDocStore, type SdkDatabase } from '../storage/sdk-store';
import { systemClock } from '../clock';
import { limitsInForceFromEnv } from '../limits/policy';
import { piiKeysFromEnv, type PiiKeys } from '../pii';
import { DEFAULT_AML_POLICY } from '../risk/aml';
import { NO_CREDIT_SOURCE, type CreditDataSource } from '../risk/credit-data';
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

/**
 * The production wiring: real database, system clock, configuration from the environment. Functions
 * that review (loan, review) pass their credit bureau (server/bureau/wiring.ts); the others never read
 * credit data and get NO_CREDIT_SOURCE.
 */
export function loanDepsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  creditSource: (keys: PiiKeys) => CreditDataSource = () => NO_CREDIT_SOURCE,
): LoanDeps {
  const keys = piiKeysFromEnv(env);
  return {
    store: retryingOnConflict(new SdkDocStore(getDb() as unknown as SdkDatabase)),
    clock: systemClock,
    config: loanProductConfig(env),
    limits: limitsInForceFromEnv(env),
    risk: riskPolicy(env),
    aml: DEFAULT_AML_POLICY,
    credit: creditSource(keys),
    riskRank: sdkRiskRank(),
  };
}
