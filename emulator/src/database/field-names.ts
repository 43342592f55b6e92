import { requestFailed } from './errors';
import { isPlainObject } from './values';

/** Throws DATABASE_REQUEST_FAILED when a stored field name (at any depth) starts with `$`, as CloudBase does. */
export function refuseDollarFields(value: unknown, path = ''): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => refuseDollarFields(item, `${path}.${i}`));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.startsWith('$') || key.split('.').some((part) => part.startsWith('$')))
      throw requestFailed(`field name ${at} is invalid: field names may not start with $`);
    refuseDollarFields(item, at);
  }
}

/** MongoDB's positional path parts (`$`, `$[]`, `$[name]`), the only `$` parts an update path may have. */
const positional = /^\$(\[\w*\])?$/;

/** Update operators whose values are stored as they are (others carry modifiers such as `$each`). */
const storingOperators = new Set(['$set', '$setOnInsert']);

/** Checks an update document: no target field may start with `$`, nor any field of a stored value. */
export function refuseDollarFieldsInUpdate(update: Record<string, unknown>): void {
  for (const [op, fields] of Object.entries(update)) {
    if (!isPlainObject(fields)) continue;
    for (const [field, value] of Object.entries(fields)) {
      if (field.split('.').some((part) => part.startsWith('$') && !positional.test(part)))
        throw requestFailed(`field name ${field} is invalid: field names may not start with $`);
      if (storingOperators.has(op)) refuseDollarFields(value, field);
    }
  }
}
