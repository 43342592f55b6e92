import { ensureBuiltMiniprogram } from './miniprogram-build';

/** Page tests load what ships: miniprogram/miniprogram_npm as packNpmManually builds it. */
export default function buildMiniprogramForPageTests(): void {
  ensureBuiltMiniprogram();
}
