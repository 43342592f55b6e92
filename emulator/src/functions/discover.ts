import fs from 'node:fs';
import path from 'node:path';

/** Cloud function names CloudBase accepts: a letter first, then letters, digits, `-` or `_` (≤ 60). */
export const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;

/** A cloud function's source folder. */
export interface FunctionSource {
  /** Folder name, which is the name the function is called by. */
  name: string;
  /** Absolute folder path. */
  dir: string;
  /** Absolute path of its `index.ts`. */
  entry: string;
}

/**
 * Lists the function folders under `functionsDir`: every sub-folder holding an `index.ts`, sorted by name.
 * A missing folder means no functions. Folders whose name CloudBase would refuse are reported, not skipped.
 */
export function discoverFunctions(functionsDir: string): {
  sources: FunctionSource[];
  invalidNames: string[];
} {
  if (!fs.existsSync(functionsDir)) return { sources: [], invalidNames: [] };
  const sources: FunctionSource[] = [];
  const invalidNames: string[] = [];
  for (const entry of fs.readdirSync(functionsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(functionsDir, entry.name);
    const index = path.join(dir, 'index.ts');
    if (!fs.existsSync(index)) continue;
    if (!FUNCTION_NAME.test(entry.name)) {
      invalidNames.push(entry.name);
      continue;
    }
    sources.push({ name: entry.name, dir, entry: index });
  }
  sources.sort((a, b) => a.name.localeCompare(b.name));
  return { sources, invalidNames };
}
