import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { FunctionConfig } from './api';

/** CloudBase's default function timeout, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 3;

/** The longest timeout CloudBase accepts for a synchronously called function, in seconds. */
export const MAX_TIMEOUT_SECONDS = 900;

/** Environment variable names SCF accepts: letters, digits and underscores, not starting with a digit. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Prefixes the platform sets itself (identity, source, runtime); a function may not define them. */
const RESERVED_PREFIXES = ['WX_', 'TCB_', 'SCF_', 'TENCENTCLOUD_'];

/** A function's `config.json` in CloudBase's format (the file DevTools and the tcb CLI deploy). */
const configFileSchema = z
  .object({
    permissions: z.object({ openapi: z.array(z.string().min(1)).default([]) }).default({ openapi: [] }),
    timeout: z.number().int().min(1).max(MAX_TIMEOUT_SECONDS).default(DEFAULT_TIMEOUT_SECONDS),
    envVariables: z
      .record(z.string(), z.string())
      .default({})
      .superRefine((variables, ctx) => {
        for (const name of Object.keys(variables)) {
          if (!ENV_NAME.test(name))
            ctx.addIssue({ code: 'custom', path: [name], message: 'names are letters, digits and _' });
          else if (RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix)))
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: `names starting with ${RESERVED_PREFIXES.join(', ')} are set by the platform`,
            });
        }
      }),
    triggers: z
      .array(z.object({ name: z.string().min(1), type: z.string().min(1), config: z.string().min(1) }))
      .default([]),
  })
  .loose();

/** A `config.json` that cannot be used; the message names the function and the faulty field. */
export class FunctionConfigError extends Error {
  constructor(
    readonly functionName: string,
    message: string,
  ) {
    super(`cloud function ${functionName}: ${message}`);
    this.name = 'FunctionConfigError';
  }
}

/** Validates parsed `config.json` content into the runtime's view of it. */
export function parseFunctionConfig(functionName: string, raw: unknown): FunctionConfig {
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new FunctionConfigError(functionName, `invalid config.json (${issues.join('; ')})`);
  }
  const timers = parsed.data.triggers.filter((trigger) => trigger.type === 'timer');
  if (timers.length > 1)
    throw new FunctionConfigError(functionName, 'config.json declares more than one timer trigger');
  return {
    timeout: parsed.data.timeout,
    envVariables: parsed.data.envVariables,
    openapi: parsed.data.permissions.openapi,
    triggers: parsed.data.triggers,
  };
}

/**
 * Reads `<functionDir>/config.json`. A missing file means CloudBase defaults; unreadable JSON or
 * invalid fields throw FunctionConfigError. Answers the raw text too, so builds can ship it unchanged.
 */
export function readFunctionConfig(
  functionName: string,
  functionDir: string,
): { config: FunctionConfig; text: string | undefined } {
  const file = path.join(functionDir, 'config.json');
  if (!fs.existsSync(file)) return { config: parseFunctionConfig(functionName, {}), text: undefined };
  const text = fs.readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new FunctionConfigError(
      functionName,
      `config.json is not valid JSON (${(error as Error).message})`,
    );
  }
  return { config: parseFunctionConfig(functionName, raw), text };
}
