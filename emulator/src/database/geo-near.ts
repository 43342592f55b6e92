import { requestFailed } from './errors';
import { nearSpec, nearestDistance, pointOf, type NearSpec } from './mingo/geo';
import { isGeoIndex, type IndexSpec } from './store';
import { isPlainObject, type Doc } from './values';

/** A `$nearSphere` condition found in a query: results are then sorted nearest first. */
export interface NearClause {
  field: string;
  spec: NearSpec;
}

/** The 2dsphere-indexed field a geo search uses (`key` picks one when several exist), or a MongoDB-like refusal. */
export function geoIndexField(indexes: IndexSpec[], key?: string): string {
  const fields = indexes.filter(isGeoIndex).flatMap((i) => i.keys.filter((k) => k.direction === '2dsphere'));
  const names = [...new Set(fields.map((k) => k.field))];
  if (key !== undefined) {
    if (!names.includes(key))
      throw requestFailed(`unable to find index for $geoNear query: no 2dsphere index on ${key}`);
    return key;
  }
  if (names.length === 0)
    throw requestFailed(
      'unable to find index for $geoNear query: declare a 2dsphere index in collections.json',
    );
  if (names.length > 1) throw requestFailed('more than one 2dsphere index; $geoNear needs key');
  return names[0] as string;
}

/** The query's `$nearSphere` (top level or inside `$and`), checking the field has a 2dsphere index. */
export function nearClause(query: Doc, indexes: IndexSpec[]): NearClause | undefined {
  for (const [field, condition] of Object.entries(query)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) {
        const found = isPlainObject(part) ? nearClause(part, indexes) : undefined;
        if (found) return found;
      }
      continue;
    }
    if (!isPlainObject(condition) || condition.$nearSphere === undefined) continue;
    if (geoIndexField(indexes, field) !== field)
      throw requestFailed(`unable to find index for $geoNear query on ${field}`);
    return { field, spec: nearSpec(condition.$nearSphere) };
  }
  return undefined;
}

/** Sorts matched documents nearest first, as MongoDB answers `$nearSphere`. */
export function sortByDistance(docs: Doc[], near: NearClause): Doc[] {
  const keyed = docs.map((doc) => ({
    doc,
    d: nearestDistance(doc, near.field, near.spec.center) ?? Infinity,
  }));
  return keyed.sort((a, b) => a.d - b.d).map((k) => k.doc);
}

/** The options of a `$geoNear` stage, checked. */
interface GeoNearStage {
  near: unknown;
  distanceField: string;
  maxDistance?: number;
  minDistance?: number;
  query?: Doc;
  key?: string;
  includeLocs?: string;
  distanceMultiplier?: number;
}

function readStage(value: unknown): GeoNearStage {
  if (!isPlainObject(value)) throw requestFailed('$geoNear needs an object');
  if (typeof value.distanceField !== 'string' || value.distanceField === '')
    throw requestFailed('$geoNear requires a distanceField');
  if (!pointOf(value.near)) throw requestFailed('$geoNear near must be a GeoJSON Point');
  return value as unknown as GeoNearStage;
}

/**
 * Runs a leading `$geoNear` stage: documents (already filtered by its `query`) with a point on the
 * indexed field, within the distance bounds, nearest first, the distance (metres × multiplier) added.
 */
export function runGeoNear(
  stageValue: unknown,
  indexes: IndexSpec[],
  candidates: (query: Doc) => Doc[],
): Doc[] {
  const stage = readStage(stageValue);
  const field = geoIndexField(indexes, stage.key);
  const center = pointOf(stage.near) as [number, number];
  const min = stage.minDistance ?? 0;
  const max = stage.maxDistance ?? Infinity;
  const rows: Array<{ doc: Doc; d: number }> = [];
  for (const doc of candidates(stage.query ?? {})) {
    const d = nearestDistance(doc, field, center);
    if (d !== undefined && d >= min && d <= max) rows.push({ doc, d });
  }
  rows.sort((a, b) => a.d - b.d);
  return rows.map(({ doc, d }) => {
    const out: Doc = { ...doc, [stage.distanceField]: d * (stage.distanceMultiplier ?? 1) };
    if (stage.includeLocs) out[stage.includeLocs] = doc[field];
    return out;
  });
}
