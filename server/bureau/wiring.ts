import { systemClock, type Clock } from '../clock';
import type { LoanDeps } from '../loan/deps';
import { loanDepsFromEnv } from '../loan/wiring';
import { piiPurpose } from '../identity/identity-record';
import { decryptPii, type PiiKeys } from '../pii';
import { NO_CREDIT_SOURCE, type CreditDataSource } from '../risk/credit-data';
import { creditBureauConfig } from './config';
import { HttpCreditBureau } from './http-bureau';

/**
 * The credit source the configuration chooses (`WXLEND_CREDIT_BUREAU`): the signed HTTP bureau, or
 * `none` (no bureau: reviews go to a person). Throws CreditBureauConfigError on a bad configuration.
 */
export function creditBureauFromEnv(env: NodeJS.ProcessEnv, keys: PiiKeys, clock: Clock): CreditDataSource {
  const config = creditBureauConfig(env);
  if (config.kind === 'none') return NO_CREDIT_SOURCE;
  return new HttpCreditBureau(config, {
    clock,
    reveal: (subject) => ({
      name: decryptPii(keys, subject.encrypted.name, piiPurpose(subject.openid, 'name')),
      idNumber: decryptPii(keys, subject.encrypted.idNumber, piiPurpose(subject.openid, 'idNumber')),
    }),
  });
}

/** The lending wiring of the functions that review (loan, review): with the configured credit bureau. */
export function reviewingLoanDepsFromEnv(env: NodeJS.ProcessEnv = process.env): LoanDeps {
  return loanDepsFromEnv(env, (keys) => creditBureauFromEnv(env, keys, systemClock));
}
