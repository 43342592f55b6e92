import type { RiskInputs } from '../../server/risk/inputs';

/** A verified 36-year-old with no credit file and no fraud signals: the neutral applicant tests and benches vary. */
export const CLEAN_RISK_INPUTS: RiskInputs = {
  identityVerified: true,
  age: 36,
  blacklisted: false,
  frozen: false,
  purposeBanned: false,
  amount: 20_000,
  productMaxAmount: 50_000,
  deviceOpenids: 1,
  deviceIdentities: 1,
  ipOpenidsPerDay: 1,
  wechatRiskRank: 0,
  credit: null,
};
