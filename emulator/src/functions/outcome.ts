import {
  FUNCTION_ERRORS,
  MAX_RESPONSE_BYTES,
  RESPONSE_TOO_LARGE_MESSAGE,
  timeoutMessage,
  unexpectedExitMessage,
} from './errors';
import type { WorkerOutcome } from './worker/function-worker';

/** What an invocation answers, plus a stack to put in its log (never in the answer). */
export interface InterpretedOutcome {
  result?: unknown;
  error?: { code: string; message: string };
  stack?: string;
}

/**
 * Turns how an instance ended into CloudBase's answer: the JSON result, or an error with CloudBase's
 * code. Like SCF, callers see `Name: message` of a thrown error; the stack goes to the invocation log.
 */
export function interpretOutcome(outcome: WorkerOutcome, timeoutSeconds: number): InterpretedOutcome {
  const fail = FUNCTION_ERRORS.executeFail.code;
  switch (outcome.kind) {
    case 'ok':
      if (Buffer.byteLength(outcome.json) > MAX_RESPONSE_BYTES)
        return { error: { code: fail, message: RESPONSE_TOO_LARGE_MESSAGE } };
      return { result: JSON.parse(outcome.json) as unknown };
    case 'threw': {
      const message = `${outcome.error.name}: ${outcome.error.message}`;
      return { error: { code: fail, message }, stack: outcome.error.stack ?? message };
    }
    case 'timeout':
      return { error: { code: FUNCTION_ERRORS.timeout.code, message: timeoutMessage(timeoutSeconds) } };
    case 'crashed':
      if (outcome.outOfMemory)
        return { error: { code: FUNCTION_ERRORS.memory.code, message: 'Memory limit exceeded' } };
      if (!outcome.error) return { error: { code: fail, message: unexpectedExitMessage(outcome.exitCode) } };
      return {
        error: { code: fail, message: `${outcome.error.name}: ${outcome.error.message}` },
        stack: outcome.error.stack,
      };
  }
}
