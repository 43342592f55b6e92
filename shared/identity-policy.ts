/**
 * The lender's identity acceptance policy. The server reads it from configuration and hands it to
 * the mini-program (identity `status`), so both check a typed ID number the same way.
 */
export interface IdentityPolicy {
  /** Youngest accepted age in completed years, inclusive. */
  minAge: number;
  /** Oldest accepted age in completed years, inclusive. */
  maxAge: number;
  /** Whether HK/Macao/Taiwan residents' residence permits (810000/820000/830000) are accepted. */
  acceptResidencePermits: boolean;
}

/** The defaults: adults up to 60, resident ID cards only. */
export const DEFAULT_IDENTITY_POLICY: IdentityPolicy = {
  minAge: 18,
  maxAge: 60,
  acceptResidencePermits: false,
};
