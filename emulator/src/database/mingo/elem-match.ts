import { Query } from 'mingo/query';
import type { Options } from 'mingo/types/types';
import { resolve } from 'mingo/util';
import { isPlainObject } from '../values';

/** Top-level keys that keep an `$elemMatch` criterion in document form (MongoDB's rule). */
const documentFormOperators = new Set([
  '$and',
  '$or',
  '$nor',
  '$where',
  '$expr',
  '$jsonSchema',
  '$text',
  '$comment',
]);

/** Whether a criterion compares the elements themselves (`{ $gt: 5 }`) rather than their fields. */
function isValueForm(criteria: Record<string, unknown>): boolean {
  const first = Object.keys(criteria)[0];
  return first !== undefined && first.startsWith('$') && !documentFormOperators.has(first);
}

/**
 * `$elemMatch` with MongoDB's semantics. Value form (`{ $gt: 5 }`) tests each element itself.
 * Document form (`{ value: { $exists: true } }`) tests only elements that are documents or arrays:
 * a plain value has no fields, so it never matches (mingo tests plain values too, and matched them).
 */
export function $elemMatch(
  selector: string,
  criteria: unknown,
  options: Options,
): (doc: Record<string, unknown>) => boolean {
  if (!isPlainObject(criteria)) throw new Error('$elemMatch needs an object');
  const valueForm = isValueForm(criteria);
  const query = new Query(valueForm ? { element: criteria } : criteria, options);
  const test = valueForm
    ? (element: unknown) => query.test({ element })
    : (element: unknown) => {
        // A nested array is a document keyed "0", "1", … to MongoDB, not a list to look through.
        if (Array.isArray(element)) return query.test(Object.fromEntries(element.entries()));
        return isPlainObject(element) && query.test(element);
      };
  return (doc) => {
    const value = resolve(doc, selector, { unwrapArray: true }) as unknown;
    return Array.isArray(value) && value.some(test);
  };
}
