import { DbError, DbErrorCode } from './errors';
import { isPlainObject } from './values';

/** Operators that run caller-supplied JavaScript on the server; CloudBase refuses them, so do we. */
const serverScriptOperators = new Set(['$where', '$function', '$accumulator', '$eval']);

/** Throws DATABASE_INVALID_OPERRATOR when `value` contains a server-side JavaScript operator. */
export function refuseServerScripts(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) refuseServerScripts(item);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (serverScriptOperators.has(key))
      throw new DbError(
        DbErrorCode.invalidOperator,
        `operator ${key} is not allowed: no server-side JavaScript`,
      );
    refuseServerScripts(item);
  }
}

/** Runs a mingo evaluation, turning its "unknown operator" complaints into DATABASE_INVALID_OPERRATOR. */
export function withOperatorErrors<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof DbError) throw error;
    const message = (error as Error).message;
    if (/operator|unknown|unregistered|invalid|not supported|must|expect/i.test(message))
      throw new DbError(DbErrorCode.invalidOperator, `${what}: ${message}`);
    throw new DbError(DbErrorCode.requestFailed, `${what}: ${message}`);
  }
}
