import { encodeComponent, isOrderedScalar, prefixEnd, typeLowerBound, typeUpperBound } from './key-encoding';
import { isGeoIndex, type IndexSpec, type KeyRange } from './store';
import { isPlainObject, type Doc } from './values';

/** Candidates by primary key, or by ranges of one index. */
export type KeyedPlan =
  { kind: 'ids'; ids: unknown[] } | { kind: 'index'; index: string; ranges: KeyRange[] };

/**
 * How a query finds its candidates: by primary key, through an index, through the union of each
 * `$or` branch's keys (MongoDB's OR plan: every branch must have one), or by scanning.
 */
export type QueryPlan = KeyedPlan | { kind: 'union'; parts: KeyedPlan[] } | { kind: 'scan' };

interface Bound {
  value: unknown;
  inclusive: boolean;
}

/** What the top-level AND of a query says about one field; every form is a superset of the matches. */
interface FieldConstraint {
  points?: unknown[];
  lower?: Bound;
  upper?: Bound;
}

/** Beyond this many point combinations a compound prefix stops growing (keeps lookups bounded). */
const MAX_POINT_COMBINATIONS = 1000;

function sameType(a: unknown, b: unknown): boolean {
  return encodeComponent(a)[0] === encodeComponent(b)[0];
}

/** Reads a `{ $op: … }` object (or a bare value) into a constraint; undefined when it cannot help. */
function constraintOf(condition: unknown): FieldConstraint | undefined {
  if (condition instanceof RegExp || Array.isArray(condition)) return undefined;
  if (!isPlainObject(condition)) return isOrderedScalar(condition) ? { points: [condition] } : undefined;
  const keys = Object.keys(condition);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) return undefined;
  const constraint: FieldConstraint = {};
  for (const [op, operand] of Object.entries(condition)) {
    if (op === '$eq' && isOrderedScalar(operand)) constraint.points = [operand];
    else if (op === '$in' && Array.isArray(operand) && operand.every(isOrderedScalar))
      constraint.points = operand;
    else if ((op === '$gt' || op === '$gte') && isOrderedScalar(operand) && operand !== null)
      constraint.lower = { value: operand, inclusive: op === '$gte' };
    else if ((op === '$lt' || op === '$lte') && isOrderedScalar(operand) && operand !== null)
      constraint.upper = { value: operand, inclusive: op === '$lte' };
  }
  if (constraint.lower && constraint.upper && !sameType(constraint.lower.value, constraint.upper.value))
    delete constraint.upper;
  if (constraint.points || constraint.lower || constraint.upper) return constraint;
  return undefined;
}

/** Collects per-field constraints from the query's top level and nested `$and`s. */
function collectConstraints(query: Doc, into: Map<string, FieldConstraint>): void {
  for (const [key, condition] of Object.entries(query)) {
    if (key === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) collectConstraints(part, into);
      continue;
    }
    if (key.startsWith('$')) continue;
    const constraint = constraintOf(condition);
    if (!constraint) continue;
    into.set(key, mergeConstraints(into.get(key), constraint));
  }
}

/** The tighter of two bounds of the same type (either alone is still a superset). */
function tighter(a: Bound | undefined, b: Bound | undefined, keepGreater: boolean): Bound | undefined {
  if (!a || !b) return a ?? b;
  if (!sameType(a.value, b.value)) return a;
  const order = Buffer.compare(encodeComponent(a.value), encodeComponent(b.value));
  if (order === 0) return a.inclusive ? b : a;
  return order > 0 === keepGreater ? a : b;
}

/** Combines two AND-ed constraints on one field: points win; ranges intersect. */
function mergeConstraints(known: FieldConstraint | undefined, next: FieldConstraint): FieldConstraint {
  if (!known) return next;
  if (known.points) return known;
  if (next.points) return next;
  const merged: FieldConstraint = {};
  const lower = tighter(known.lower, next.lower, true);
  const upper = tighter(known.upper, next.upper, false);
  if (lower) merged.lower = lower;
  if (upper && (!lower || sameType(lower.value, upper.value))) merged.upper = upper;
  return merged;
}

/** Key ranges of one index for the constraints, and how many fields they pin (0 = useless). */
function rangesFor(
  spec: IndexSpec,
  constraints: Map<string, FieldConstraint>,
): { ranges: KeyRange[]; score: number } {
  let prefixes: Buffer[] = [Buffer.alloc(0)];
  let score = 0;
  for (const key of spec.keys) {
    const constraint = constraints.get(key.field);
    if (!constraint) break;
    if (constraint.points) {
      const components = constraint.points.map((p) => encodeComponent(p));
      if (prefixes.length * components.length > MAX_POINT_COMBINATIONS) break;
      prefixes = prefixes.flatMap((prefix) => components.map((c) => Buffer.concat([prefix, c])));
      score += 2;
      continue;
    }
    const { lower, upper } = constraint;
    const typed = (lower ?? upper) as Bound;
    const lowerPart = lower
      ? lower.inclusive
        ? encodeComponent(lower.value)
        : prefixEnd(encodeComponent(lower.value))
      : typeLowerBound(typed.value);
    const upperPart = upper
      ? upper.inclusive
        ? prefixEnd(encodeComponent(upper.value))
        : encodeComponent(upper.value)
      : typeUpperBound(typed.value);
    return {
      ranges: prefixes.map((p) => ({
        lower: Buffer.concat([p, lowerPart]),
        upper: Buffer.concat([p, upperPart]),
      })),
      score: score + 1,
    };
  }
  return { ranges: prefixes.map((p) => ({ lower: p, upper: prefixEnd(p) })), score };
}

/**
 * Chooses how to find a query's candidates. Only conditions every match must satisfy are used
 * (top-level fields and `$and`), so the candidates are always a superset: mingo decides the rest.
 */
export function planQuery(query: Doc, indexes: IndexSpec[]): QueryPlan {
  const constraints = new Map<string, FieldConstraint>();
  collectConstraints(query, constraints);
  const idPoints = constraints.get('_id')?.points;
  if (idPoints) return { kind: 'ids', ids: idPoints };
  let best: { index: string; ranges: KeyRange[]; score: number } | undefined;
  for (const spec of indexes) {
    if (isGeoIndex(spec)) continue;
    const candidate = rangesFor(spec, constraints);
    if (candidate.score > 0 && (!best || candidate.score > best.score))
      best = { index: spec.name, ...candidate };
  }
  if (best) return { kind: 'index', index: best.index, ranges: best.ranges };
  return Array.isArray(query.$or) ? unionPlan(query.$or, indexes) : { kind: 'scan' };
}

/** The OR plan of a top-level `$or`: each branch's keyed plan, or a scan when any branch has none. */
function unionPlan(branches: unknown[], indexes: IndexSpec[]): QueryPlan {
  const parts: KeyedPlan[] = [];
  for (const branch of branches) {
    if (!isPlainObject(branch)) return { kind: 'scan' };
    const plan = planQuery(branch, indexes);
    if (plan.kind === 'scan') return { kind: 'scan' };
    parts.push(...(plan.kind === 'union' ? plan.parts : [plan]));
  }
  return parts.length > 0 ? { kind: 'union', parts } : { kind: 'scan' };
}
