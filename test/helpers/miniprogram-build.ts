import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { copySharedCode } from '../../scripts/build';
import { packIsCurrent } from '../../scripts/platform/pack-npm';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Makes miniprogram/ what DevTools opens after `npm run build`: miniprogram_npm packed by
 * packNpmManually (in a child process: miniprogram-ci keeps timers alive; skipped when it already
 * matches the install) and shared/ copied.
 */
export function ensureBuiltMiniprogram(): void {
  const miniprogramDir = path.join(ROOT, 'miniprogram');
  if (!packIsCurrent(ROOT, miniprogramDir))
    execFileSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['scripts/platform/pack-npm.ts', miniprogramDir],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
  if (!fs.existsSync(path.join(miniprogramDir, 'shared')))
    copySharedCode(path.join(ROOT, 'shared'), path.join(miniprogramDir, 'shared'));
}
