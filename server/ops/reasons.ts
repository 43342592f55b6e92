import { z } from 'zod';

/**
 * The catalogue of reasons an operator picks from for each sensitive action; the free text next to
 * it explains the case.
 */
export const REASON_CATALOGUE = {
  reveal: ['CUSTOMER_REQUEST', 'FRAUD_INVESTIGATION', 'REGULATORY_REQUEST', 'DISPUTE', 'COLLECTIONS'],
  freeze: ['FRAUD_SUSPECTED', 'AML_HIT', 'CUSTOMER_REQUEST', 'REGULATORY_REQUEST', 'DISPUTE'],
  unfreeze: ['INVESTIGATION_CLEARED', 'CUSTOMER_REQUEST', 'REGULATORY_REQUEST', 'OPERATOR_ERROR'],
  blacklist: [
    'FRAUD_CONFIRMED',
    'AML_CONFIRMED',
    'REGULATORY_REQUEST',
    'LISTED_IN_ERROR',
    'INVESTIGATION_CLEARED',
  ],
  waive: ['HARDSHIP', 'DISPUTE', 'OPERATOR_ERROR', 'GOODWILL'],
  cancel: ['CUSTOMER_REQUEST', 'WRONG_PAYEE', 'FRAUD_SUSPECTED', 'OPERATOR_ERROR'],
  hold: ['FRAUD_SUSPECTED', 'CUSTOMER_REQUEST', 'RECONCILIATION', 'OPERATOR_ERROR'],
  /** Why a person approved an application (maker, checker or appeal). */
  approve: ['INCOME_VERIFIED', 'RISK_ACCEPTABLE', 'APPEAL_EVIDENCE_ACCEPTED', 'POLICY_EXCEPTION_APPROVED'],
  /** Why a person rejected one. */
  reject: [
    'INCOME_INSUFFICIENT',
    'FRAUD_SUSPECTED',
    'IDENTITY_DOUBT',
    'POLICY_RULE',
    'APPEAL_EVIDENCE_INSUFFICIENT',
  ],
} as const;

/** A sensitive action that needs a reason. */
export type ReasonedAction = keyof typeof REASON_CATALOGUE;

/** Fewest letters or digits a reason's free text must contain. */
export const MIN_VISIBLE_CHARACTERS = 4;

/** Letters and digits of any script: what is left once spaces, punctuation, symbols and invisible marks are gone. */
export function visibleCharacters(text: string): number {
  return Array.from(text.matchAll(/[\p{L}\p{N}]/gu)).length;
}

/** Free text of at least MIN_VISIBLE_CHARACTERS letters or digits (zero-width, space and punctuation-only texts fail). */
export const reasonTextSchema = z
  .string()
  .trim()
  .max(200)
  .refine((text) => visibleCharacters(text) >= MIN_VISIBLE_CHARACTERS, {
    message: `reason needs at least ${MIN_VISIBLE_CHARACTERS} letters or digits`,
  });

/** True when `code` is in the catalogue of `kind`. */
export function inCatalogue(kind: ReasonedAction, code: string): boolean {
  return (REASON_CATALOGUE[kind] as readonly string[]).includes(code);
}

/** The `reasonCode` + `reason` fields of an action's input. */
export function reasonFields<A extends ReasonedAction>(kind: A) {
  return { reasonCode: z.enum(REASON_CATALOGUE[kind]), reason: reasonTextSchema };
}
