import type { Declarations } from '../../emulator/src/functions/declarations';

/** SCF's limit on a function's environment variables (names and values together), in bytes. */
export const ENV_LIMIT_BYTES = 4 * 1024;

/** One function's environment size, from the catalogue's figures. */
export interface EnvBudget {
  name: string;
  variables: number;
  /** Names, `=` and the largest expected values. */
  bytes: number;
  /** The largest single key rotation among its variables (old and new key both set). */
  rotationBytes: number;
  /** The variable whose rotation that is. */
  rotating?: string;
  /** bytes + rotationBytes. */
  peakBytes: number;
}

/** Sizes every declared function's environment, normal and during its largest single key rotation. */
export function envBudgets(declarations: Declarations): EnvBudget[] {
  return Object.entries(declarations.functions).map(([name, fn]) => {
    let bytes = 0;
    let rotationBytes = 0;
    let rotating: string | undefined;
    for (const variable of fn.env) {
      const entry = declarations.variables[variable];
      if (!entry) throw new Error(`${name} declares ${variable}, missing from the catalogue`);
      bytes += Buffer.byteLength(variable) + 1 + entry.bytes;
      const extra = (entry.rotationBytes ?? entry.bytes) - entry.bytes;
      if (extra > rotationBytes) [rotationBytes, rotating] = [extra, variable];
    }
    return {
      name,
      variables: fn.env.length,
      bytes,
      rotationBytes,
      rotating,
      peakBytes: bytes + rotationBytes,
    };
  });
}

/** Throws one clear message naming every function whose environment would exceed the limit. */
export function assertEnvBudgets(budgets: EnvBudget[]): void {
  const over = budgets.filter((budget) => budget.peakBytes > ENV_LIMIT_BYTES);
  if (over.length === 0) return;
  const lines = over.map(
    (b) =>
      `  ${b.name}: ${b.peakBytes} bytes (${b.bytes} + ${b.rotationBytes} while rotating ${b.rotating ?? '-'}) > ${ENV_LIMIT_BYTES}`,
  );
  throw new Error(
    `function environments exceed SCF's 4 KB limit with room for one key rotation:\n${lines.join('\n')}\n` +
      'declare fewer variables for these functions in cloudbase/functions.json (each function only the keys it uses)',
  );
}
