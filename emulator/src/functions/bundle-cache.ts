import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What is remembered about one function's last bundle. */
interface CacheEntry {
  /** Every file the bundle was made from (absolute paths). */
  inputs: string[];
  /** Hash over the inputs' contents and the build settings. */
  digest: string;
  /** The bundled `index.js`. */
  code: string;
}

/**
 * Content-addressed reuse of function bundles between emulator starts (every test starts one): a bundle
 * is reused only when every file it was built from, and the build settings, are byte-for-byte the same.
 * Each entry is one file (inputs, digest and code together) written through a temporary file and a
 * rename, so concurrent emulators never read half an entry or a code of other inputs.
 */
export class BundleCache {
  constructor(private readonly dir: string) {}

  /** The cached `index.js` code for `entry` when still valid, else undefined. */
  lookup(entry: string, settings: string): string | undefined {
    try {
      const cached = JSON.parse(fs.readFileSync(this.file(entry), 'utf8')) as CacheEntry;
      return digest(cached.inputs, settings) === cached.digest ? cached.code : undefined;
    } catch {
      return undefined;
    }
  }

  /** Remembers `code` as the bundle of `entry` built from `inputs` (absolute paths). */
  store(entry: string, settings: string, inputs: string[], code: string): void {
    const value = digest(inputs, settings);
    if (!value) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const target = this.file(entry);
    const temporary = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    const record: CacheEntry = { inputs, digest: value, code };
    fs.writeFileSync(temporary, JSON.stringify(record));
    fs.renameSync(temporary, target);
  }

  private file(entry: string): string {
    const key = createHash('sha256').update(path.resolve(entry)).digest('hex').slice(0, 32);
    return path.join(this.dir, `${key}.json`);
  }
}

/** Hash over the settings and each input's path and bytes; undefined when an input is gone. */
function digest(inputs: string[], settings: string): string | undefined {
  const hash = createHash('sha256').update(settings);
  for (const input of [...inputs].sort()) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(input);
    } catch {
      return undefined;
    }
    hash.update(input).update('\0').update(bytes).update('\0');
  }
  return hash.digest('hex');
}
