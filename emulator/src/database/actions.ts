import { z } from 'zod';
import type { AdminReply, AdminRequest } from '../admin-router';
import type { DatabaseEngine, FindOptions, Target } from './engine';
import { DbError, DbErrorCode, requestFailed } from './errors';
import { decodeEjson, decodeEjsonObject, encodeEjson, isPlainObject, type Doc } from './values';

const ejsonInput = z.union([z.string(), z.record(z.string(), z.unknown())]);
const optionalTxn = z.string().min(1).nullish();
const collectionName = z.string().min(1, 'collectionName is required');
const queryType = z.enum(['WHERE', 'DOC']).default('WHERE');

const getParams = z.object({
  collectionName,
  queryType,
  query: ejsonInput.nullish(),
  order: ejsonInput.nullish(),
  offset: z.number().int().min(0).nullish(),
  limit: z.number().int().min(0).nullish(),
  projection: ejsonInput.nullish(),
  transactionId: optionalTxn,
});
const countParams = z.object({ collectionName, queryType, query: ejsonInput.nullish() });
const insertParams = z.object({
  collectionName,
  data: z.array(ejsonInput).min(1, 'data needs at least one document'),
  transactionId: optionalTxn,
});
const modifyParams = z.object({
  collectionName,
  queryType,
  query: ejsonInput.nullish(),
  data: ejsonInput,
  multi: z.boolean().default(false),
  merge: z.boolean().default(true),
  upsert: z.boolean().default(false),
  transactionId: optionalTxn,
});
const removeParams = z.object({
  collectionName,
  queryType,
  query: ejsonInput.nullish(),
  multi: z.boolean().default(false),
  transactionId: optionalTxn,
});
const aggregateParams = z.object({
  collectionName,
  stages: z.array(z.object({ stageKey: z.string().startsWith('$'), stageValue: ejsonInput })),
});
const addCollectionParams = z.object({ collectionName });
const transactionParams = z.object({ transactionId: z.string().min(1, 'transactionId is required') });

/** Validates an action's params, answering INVALID_PARAM with the first problem. */
function parse<T extends z.ZodType>(schema: T, request: AdminRequest): z.infer<T> {
  const result = schema.safeParse(request.params);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new DbError(
      DbErrorCode.invalidParam,
      `${where ? `${where}: ` : ''}${issue?.message ?? 'invalid params'}`,
    );
  }
  return result.data;
}

function data(value: unknown, extra?: Record<string, unknown>): AdminReply {
  return extra ? { kind: 'data', data: value, extra } : { kind: 'data', data: value };
}

function queryOf(raw: unknown): Doc {
  return raw === null || raw === undefined ? {} : decodeEjsonObject(raw, 'query');
}

function targetOf(type: 'WHERE' | 'DOC', query: Doc, multi: boolean): Target {
  if (type === 'DOC') {
    if (query._id === undefined) throw new DbError(DbErrorCode.invalidParam, 'a DOC query needs _id');
    return { query: { _id: query._id }, byId: true, multi: false };
  }
  return { query, byId: false, multi };
}

function orderOf(raw: unknown): Doc | undefined {
  if (raw === null || raw === undefined) return undefined;
  const order = decodeEjsonObject(raw, 'order');
  for (const [field, direction] of Object.entries(order))
    if (direction !== 1 && direction !== -1)
      throw new DbError(DbErrorCode.invalidParam, `order of ${field} must be 1 or -1`);
  return order;
}

/** The `database.*` wire actions, each turning SDK params into an engine call and its reply shape. */
export function databaseActions(
  engine: DatabaseEngine,
  now: () => number,
): Record<string, (request: AdminRequest) => Promise<AdminReply> | AdminReply> {
  return {
    'database.getDocument': (request) => {
      const p = parse(getParams, request);
      const query = queryOf(p.query);
      const projection = p.projection ? decodeEjsonObject(p.projection, 'projection') : undefined;
      if (p.transactionId) {
        if (p.queryType !== 'DOC')
          throw requestFailed(
            'where() queries are not supported inside a transaction; read documents with doc(id).get()',
          );
        const doc = engine.readInTransaction(
          p.collectionName,
          targetOf('DOC', query, false).query._id,
          p.transactionId,
        );
        const list = doc ? engine.shape([doc], projection ? { projection } : {}) : [];
        return data({ list: list.map(encodeEjson) });
      }
      const options: FindOptions = {};
      const order = orderOf(p.order);
      if (order) options.order = order;
      if (projection) options.projection = projection;
      if (p.offset) options.offset = p.offset;
      // limit 0 means "no limit given" (the SDK itself sends 100 then), never an empty page.
      options.limit = p.queryType === 'DOC' ? 1 : p.limit || 100;
      const target = p.queryType === 'DOC' ? targetOf('DOC', query, false).query : query;
      const list = engine.find(p.collectionName, target, options);
      return data({ list: list.map(encodeEjson) });
    },
    'database.calculateDocument': (request) => {
      const p = parse(countParams, request);
      const query = queryOf(p.query);
      const target = p.queryType === 'DOC' ? targetOf('DOC', query, false).query : query;
      return data({ total: engine.count(p.collectionName, target) });
    },
    'database.insertDocument': async (request) => {
      const p = parse(insertParams, request);
      const docs = p.data.map((item, i) => decodeEjsonObject(item, `data[${i}]`, now()));
      const insertedIds = await engine.insert(p.collectionName, docs, p.transactionId ?? undefined);
      return data({ insertedIds });
    },
    'database.modifyDocument': async (request) => {
      const p = parse(modifyParams, request);
      const target = targetOf(p.queryType, queryOf(p.query), p.multi);
      const mod = { data: decodeEjsonObject(p.data, 'data', now()), merge: p.merge };
      const result = await engine.modify(
        p.collectionName,
        target,
        mod,
        p.upsert,
        p.transactionId ?? undefined,
      );
      return data(
        result.upsertId === undefined
          ? { updated: result.updated }
          : { updated: 0, upsert_id: result.upsertId },
      );
    },
    'database.modifyAndReturnDoc': async (request) => {
      const p = parse(modifyParams, request);
      if (p.transactionId) throw requestFailed('updateAndReturn is not supported inside a transaction');
      const query = queryOf(p.query);
      const mod = { data: decodeEjsonObject(p.data, 'data', now()), merge: true };
      const [first] = engine.find(p.collectionName, query, { limit: 1 });
      if (!first) return data({ updated: 0, doc: null });
      await engine.modify(p.collectionName, targetOf('DOC', { _id: first._id }, false), mod, false);
      const [after] = engine.find(p.collectionName, { _id: first._id }, { limit: 1 });
      // findOneAndUpdate: CloudBase counts the matched document as updated even when nothing changed.
      return data({ updated: 1, doc: after ? encodeEjson(after) : null });
    },
    'database.removeDocument': async (request) => {
      const p = parse(removeParams, request);
      const target = targetOf(p.queryType, queryOf(p.query), p.multi);
      return data({ deleted: await engine.remove(p.collectionName, target, p.transactionId ?? undefined) });
    },
    'database.aggregateDocuments': (request) => {
      const p = parse(aggregateParams, request);
      const pipeline = p.stages.map(({ stageKey, stageValue }) => ({
        [stageKey]: decodeEjson(stageValue, `stage ${stageKey}`),
      }));
      const list = engine.aggregate(p.collectionName, pipeline);
      return data({ list: list.map((doc) => encodeEjson(isPlainObject(doc) ? doc : { value: doc })) });
    },
    'database.addCollection': (request) => {
      const p = parse(addCollectionParams, request);
      if (!engine.store.createCollection(p.collectionName, now()))
        throw new DbError(
          DbErrorCode.collectionAlreadyExist,
          `collection ${p.collectionName} already exists`,
        );
      return data({});
    },
    'database.startTransaction': () => data({}, { transactionId: engine.startTransaction() }),
    'database.commitTransaction': (request) => {
      engine.commitTransaction(parse(transactionParams, request).transactionId);
      return data({});
    },
    'database.abortTransaction': (request) => {
      engine.abortTransaction(parse(transactionParams, request).transactionId);
      return data({});
    },
  };
}
