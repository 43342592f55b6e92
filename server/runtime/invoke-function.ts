import type { ApiResult } from '../../typings/api';
import { AppError } from './app-error';
import { getCloud } from './cloud';

/**
 * Calls another of our cloud functions through the platform (`cloud.callFunction`, never
 * in-process, so the caller needs none of the callee's secrets) and unwraps its answer: the
 * callee's refusal surfaces as the same AppError.
 */
export async function invokeFunction<R>(name: string, data: Record<string, unknown>): Promise<R> {
  const answer = (await getCloud().callFunction({ name, data })) as { result?: unknown };
  const result = answer.result as ApiResult<R> | undefined;
  if (!result || typeof result !== 'object' || typeof result.ok !== 'boolean')
    throw new AppError('UPSTREAM_FAILED', `${name} answered without a result; retry later`);
  if (!result.ok) throw new AppError(result.error.code, result.error.message);
  return result.data;
}
