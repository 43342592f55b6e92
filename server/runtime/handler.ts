import { z } from 'zod';
import type { ApiResult } from '../../typings/api';
import { AppError } from './app-error';
import type { Caller } from './caller';
import { callerRefusal, callerVerdict, type FunctionName } from './caller-table';

/** One action of a cloud function: its input schema and what it does for a validated input. */
export interface ActionDefinition<S extends z.ZodType, R> {
  /** Schema of the event without `action`; unknown keys are refused (no mass assignment). */
  input: S;
  /** Runs the action; throws AppError for refusals. */
  run: (input: z.infer<S>, caller: Caller) => Promise<R>;
}

/** Declares an action with full type inference of its input. */
export function action<S extends z.ZodType, R>(definition: ActionDefinition<S, R>): ActionDefinition<S, R> {
  return definition;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table is heterogeneous by design
type ActionTable = Record<string, ActionDefinition<any, unknown>>;

/** Messages used when the event itself is malformed; functions may override them. */
export interface HandlerMessages {
  unknownAction: string;
  invalidInput: string;
  internal: string;
}

const defaultMessages: HandlerMessages = {
  unknownAction: '不支持的操作，请升级小程序后重试',
  invalidInput: '提交的信息有误，请检查后重试',
  internal: '系统繁忙，请稍后再试',
};

/** The caller-table check a function's dispatcher runs before any work. */
export interface FunctionAccess {
  /** The function's row in CALLER_TABLE. */
  fn: FunctionName;
  /** Verifies a client caller as an operator (throws its refusal) for operator-only actions. */
  resolveOperator?: (caller: Caller, action: string) => Promise<NonNullable<Caller['verifiedOperator']>>;
}

/** Applies the caller table to one call: the caller to run the action with, or the function's refusal. */
export async function checkCaller(
  access: FunctionAccess,
  entry: string,
  caller: Caller,
  event: unknown,
): Promise<Caller> {
  const verdict = callerVerdict(access.fn, entry, caller, event);
  if (verdict === 'allow') return caller;
  if (verdict === 'refuse' || !access.resolveOperator) throw callerRefusal(access.fn);
  return { ...caller, verifiedOperator: await access.resolveOperator(caller, entry) };
}

/** The answer of an entry point (timer tick) the caller table refused. */
export function refusal(fn: FunctionName): ApiResult<never> {
  const error = callerRefusal(fn);
  return { ok: false, error: { code: error.code, message: error.message } };
}

/** Describes a zod failure by field path only: never echoes the submitted values. */
function describeIssues(error: z.ZodError): string {
  const fields = [...new Set(error.issues.map((issue) => issue.path.join('.') || '(root)'))];
  return fields.join(', ');
}

/**
 * Turns an action table into a cloud function entry: picks the action, checks the caller against
 * the caller table (before any work), validates the rest of the event, runs it, and always answers
 * `{ ok, data }` or `{ ok: false, error }`.
 */
export function dispatchActions(
  actions: ActionTable,
  resolveCaller: () => Caller,
  messages: Partial<HandlerMessages> = {},
  access?: FunctionAccess,
): (event: unknown) => Promise<ApiResult<unknown>> {
  const text = { ...defaultMessages, ...messages };
  return async (event: unknown) => {
    try {
      if (typeof event !== 'object' || event === null || Array.isArray(event)) {
        throw new AppError('INVALID_INPUT', text.invalidInput);
      }
      const { action: name, ...rest } = event as Record<string, unknown>;
      const definition = typeof name === 'string' && Object.hasOwn(actions, name) ? actions[name] : undefined;
      if (!definition) throw new AppError('UNKNOWN_ACTION', text.unknownAction);
      const caller = access
        ? await checkCaller(access, name as string, resolveCaller(), event)
        : resolveCaller();
      const parsed = definition.input.safeParse(stripTransport(rest));
      if (!parsed.success) {
        throw new AppError('INVALID_INPUT', `${text.invalidInput}（${describeIssues(parsed.error)}）`);
      }
      const data = await definition.run(parsed.data, caller);
      return { ok: true, data };
    } catch (error) {
      if (error instanceof AppError)
        return { ok: false, error: { code: error.code, message: error.message } };
      console.error(`[internal] ${(error as Error).name}: ${(error as Error).message}`);
      return { ok: false, error: { code: 'INTERNAL_ERROR', message: text.internal } };
    }
  };
}

/** Removes the keys the platform itself adds to a client event (`userInfo` from wx.cloud.callFunction). */
function stripTransport(rest: Record<string, unknown>): Record<string, unknown> {
  const { userInfo: _userInfo, ...clean } = rest;
  return clean;
}
