import { z } from 'zod';
import { OPS_REASONS } from '../../shared/reason-codes';

/**
 * The catalogue of reasons an operator picks from for each sensitive action; the free text next to
 * it explains the case (the lists: shared/reason-codes.ts).
 */
export const REASON_CATALOGUE = OPS_REASONS;

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
