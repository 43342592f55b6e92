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
  correctionApprove: ['DOCUMENT_VERIFIED', 'OFFICIAL_RECORD_CHECKED', 'OPERATOR_ERROR'],
  correctionReject: ['EVIDENCE_INSUFFICIENT', 'MATCHES_OFFICIAL_RECORD', 'INVALID_VALUE', 'NOT_THE_HOLDER'],
  deletion: ['CUSTOMER_REQUEST', 'REGULATORY_REQUEST'],
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

/** The `reasonCode` + `reason` fields of an action's input. */
export function reasonFields<A extends ReasonedAction>(kind: A) {
  return { reasonCode: z.enum(REASON_CATALOGUE[kind]), reason: reasonTextSchema };
}
