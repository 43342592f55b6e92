import { resolve } from 'mingo/util';
import { DbError, DbErrorCode } from '../errors';
import { isPlainObject } from '../values';

/** Earth's radius in metres as MongoDB converts radians ↔ distance. */
export const EARTH_RADIUS_M = 6_378_100;

/** A longitude/latitude pair in degrees. */
export type LngLat = [number, number];

function geoError(message: string): DbError {
  return new DbError(DbErrorCode.requestFailed, message);
}

/** The point of a GeoJSON Point or legacy `[lng, lat]` pair; undefined for anything else. */
export function pointOf(value: unknown): LngLat | undefined {
  const coords = isPlainObject(value) && value.type === 'Point' ? value.coordinates : value;
  if (Array.isArray(coords) && coords.length === 2 && coords.every((c) => typeof c === 'number'))
    return [coords[0] as number, coords[1] as number];
  return undefined;
}

/** Great-circle distance in metres (haversine). */
export function distanceMetres(a: LngLat, b: LngLat): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Ray casting on one linear ring of [lng, lat] positions (boundary counts as inside). */
function inRing(point: LngLat, ring: unknown[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i] as LngLat;
    const [xj, yj] = ring[j] as LngLat;
    if (yi > point[1] !== yj > point[1] && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi)
      inside = !inside;
  }
  return inside;
}

/** Whether a point lies in a GeoJSON Polygon (outer ring minus holes). */
function inPolygon(point: LngLat, rings: unknown): boolean {
  if (!Array.isArray(rings) || rings.length === 0) throw geoError('$geoWithin: a Polygon needs rings');
  const [outer, ...holes] = rings as unknown[][];
  return inRing(point, outer ?? []) && !holes.some((hole) => inRing(point, hole));
}

/** A test of a stored value against `$geoWithin`'s operand ($geometry Polygon/MultiPolygon or $centerSphere). */
function withinTest(operand: unknown): (point: LngLat) => boolean {
  if (!isPlainObject(operand)) throw geoError('$geoWithin needs $geometry or $centerSphere');
  if (operand.$centerSphere !== undefined) {
    const [center, radius] = Array.isArray(operand.$centerSphere) ? operand.$centerSphere : [];
    const c = pointOf(center);
    if (!c || typeof radius !== 'number') throw geoError('$centerSphere needs [[lng, lat], radians]');
    return (p) => distanceMetres(c, p) <= radius * EARTH_RADIUS_M;
  }
  const geometry = operand.$geometry;
  if (isPlainObject(geometry) && geometry.type === 'Polygon')
    return (p) => inPolygon(p, geometry.coordinates);
  if (isPlainObject(geometry) && geometry.type === 'MultiPolygon' && Array.isArray(geometry.coordinates))
    return (p) => (geometry.coordinates as unknown[]).some((poly) => inPolygon(p, poly));
  throw geoError('$geoWithin $geometry must be a Polygon or MultiPolygon');
}

/** `$nearSphere`'s operand read into a centre and distance bounds (metres). */
export interface NearSpec {
  center: LngLat;
  min: number;
  max: number;
}

/** Reads `{ $geometry: Point, $maxDistance?, $minDistance? }` (or a legacy pair with radians). */
export function nearSpec(operand: unknown): NearSpec {
  if (isPlainObject(operand) && operand.$geometry !== undefined) {
    const center = pointOf(operand.$geometry);
    if (!center) throw geoError('$nearSphere $geometry must be a Point');
    return {
      center,
      min: typeof operand.$minDistance === 'number' ? operand.$minDistance : 0,
      max: typeof operand.$maxDistance === 'number' ? operand.$maxDistance : Infinity,
    };
  }
  const center = pointOf(operand);
  if (!center) throw geoError('$nearSphere needs { $geometry: Point }');
  return { center, min: 0, max: Infinity };
}

/** The stored points at a field (a field may hold one point or an array of points). */
export function pointsAt(doc: Record<string, unknown>, field: string): LngLat[] {
  const value = resolve(doc, field) as unknown;
  const single = pointOf(value);
  if (single) return [single];
  if (Array.isArray(value)) return value.map(pointOf).filter((p): p is LngLat => p !== undefined);
  return [];
}

/** The nearest distance (metres) from a document's points at `field` to `center`, or undefined. */
export function nearestDistance(
  doc: Record<string, unknown>,
  field: string,
  center: LngLat,
): number | undefined {
  const distances = pointsAt(doc, field).map((p) => distanceMetres(center, p));
  return distances.length > 0 ? Math.min(...distances) : undefined;
}

type QueryOp = (selector: string, value: unknown) => (doc: Record<string, unknown>) => boolean;

/** `$geoWithin` query operator. */
export const $geoWithin: QueryOp = (selector, value) => {
  const test = withinTest(value);
  return (doc) => pointsAt(doc, selector).some(test);
};

/** `$nearSphere` query operator: the distance filter (the engine sorts by distance and checks the index). */
export const $nearSphere: QueryOp = (selector, value) => {
  const spec = nearSpec(value);
  return (doc) => {
    const d = nearestDistance(doc, selector, spec.center);
    return d !== undefined && d >= spec.min && d <= spec.max;
  };
};
