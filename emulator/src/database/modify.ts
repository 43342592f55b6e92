import { update } from 'mingo';
import { DbError, DbErrorCode, requestFailed } from './errors';
import { refuseServerScripts, withOperatorErrors } from './guard';
import { refuseDollarFields, refuseDollarFieldsInUpdate } from './field-names';
import { cloneDoc, encodeEjson, isPlainObject, sameDocument, type Doc } from './values';

/** How `database.modifyDocument` changes a document. */
export interface Modification {
  /** Update operators (`merge: true`) or the whole new content (`merge: false`, i.e. `set`). */
  data: Doc;
  merge: boolean;
}

/** The outcome for one document. */
export interface ModifyOutcome {
  after: Doc;
  /** False when the update left the document exactly as it was (it then does not count as updated). */
  modified: boolean;
}

/** MongoDB's update operators: in a replacement document they are misplaced operators, not field names. */
const updateOperators = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$setOnInsert',
  '$currentDate',
  '$push',
  '$pop',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$bit',
]);

/** Checks the update document's shape once, before any document is touched. */
export function validateModification(mod: Modification): void {
  refuseServerScripts(mod.data);
  const keys = Object.keys(mod.data);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (mod.merge) {
    if (operators.length !== keys.length)
      throw new DbError(DbErrorCode.invalidOperator, 'an update mixes operators and plain fields');
    for (const [op, fields] of Object.entries(mod.data)) {
      if (!isPlainObject(fields) && !updateOperators.has(op))
        throw requestFailed(`field name ${op} is invalid: field names may not start with $`);
      if (!isPlainObject(fields))
        throw new DbError(DbErrorCode.invalidOperator, `${op} needs an object of fields`);
      for (const field of Object.keys(fields))
        if (field === '_id' || field.startsWith('_id.'))
          throw requestFailed('the _id of a document cannot be changed');
    }
    refuseDollarFieldsInUpdate(mod.data);
  } else {
    const operator = operators.find((k) => updateOperators.has(k));
    if (operator)
      throw new DbError(
        DbErrorCode.invalidOperator,
        `a replacement document cannot contain operators (${operator})`,
      );
    refuseDollarFields(mod.data);
  }
}

/** Applies a validated modification to `before` (or to an empty document when upserting). */
export function applyModification(before: Doc | undefined, id: unknown, mod: Modification): ModifyOutcome {
  if (!mod.merge) {
    const { _id: _ignored, ...content } = mod.data;
    const after: Doc = { _id: id, ...cloneDoc(content) };
    return { after, modified: !before || !sameDocument(before, after) };
  }
  const after = before ? cloneDoc(before) : { _id: id };
  const changed = withOperatorErrors('update', () =>
    update(after, mod.data, [], undefined, { cloneMode: 'deep', queryOptions: { scriptEnabled: false } }),
  );
  if (after._id !== id && encodeEjson({ v: after._id }) !== encodeEjson({ v: id }))
    throw requestFailed('the _id of a document cannot be changed');
  return { after, modified: changed.length > 0 && (!before || !sameDocument(before, after)) };
}
