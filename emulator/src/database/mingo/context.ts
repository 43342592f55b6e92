import { Aggregator } from 'mingo/aggregator';
import { Context } from 'mingo/core';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as pipelineOps from 'mingo/operators/pipeline';
import * as projectionOps from 'mingo/operators/projection';
import * as queryOps from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { Options } from 'mingo/types/types';
import { $elemMatch } from './elem-match';
import { $indexOfCP, $substrBytes, $week } from './expression-ops';
import { $geoWithin, $nearSphere } from './geo';
import { jsonSchemaValidator } from './json-schema';

/** mingo's operators with CloudBase's (MongoDB's) semantics where mingo differs or lacks one. */
const context = Context.init({
  accumulator: { ...accumulatorOps },
  expression: { ...expressionOps, $substr: $substrBytes, $substrBytes, $indexOfCP, $week },
  pipeline: { ...pipelineOps },
  projection: { ...projectionOps },
  query: { ...queryOps, $elemMatch, $geoWithin, $nearSphere },
  window: { ...windowOps },
} as unknown as Parameters<typeof Context.init>[0]);

/** Options every evaluation uses: the operator context, no server-side scripts, `$jsonSchema` via ajv. */
export const mingoOptions: Partial<Options> = { context, scriptEnabled: false, jsonSchemaValidator };

/** A compiled query over the emulator's operator set. */
export function compileQuery(criteria: Record<string, unknown>): Query {
  return new Query(criteria, mingoOptions);
}

/** An aggregation over the emulator's operator set; `extra` adds e.g. a collection resolver. */
export function compileAggregation(
  pipeline: Record<string, unknown>[],
  extra: Partial<Options> = {},
): Aggregator {
  return new Aggregator(pipeline, { ...mingoOptions, ...extra });
}
