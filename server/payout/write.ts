import { AppError } from '../runtime/app-error';
import type { PayoutDoc } from './payout-doc';
import type { PayoutCommit, PayoutDeps } from './ports';

/** How often a conditional write is re-decided after losing a race before giving up. */
const MAX_RACES = 12;

/**
 * Reads the payout, lets `decide` compute the commit on that exact version, and writes it only if
 * nobody wrote in between; on a lost race it reads again and decides again. `decide` must be pure
 * (it may run several times). Returns the document as stored afterwards (never read back).
 */
export async function writePayout(
  deps: PayoutDeps,
  find: () => Promise<PayoutDoc | undefined>,
  decide: (doc: PayoutDoc) => PayoutCommit | undefined,
): Promise<PayoutDoc | undefined> {
  for (let race = 0; race < MAX_RACES; race++) {
    const doc = await find();
    if (!doc) return undefined;
    const commit = decide(doc);
    if (!commit) return doc;
    const result = await deps.store.commit(commit);
    if (result.kind === 'committed') return result.doc;
    if (result.kind === 'refused') throw new AppError(result.code, result.message);
    // A short random pause keeps racing writers (shared audit head) from colliding again at once.
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.floor(Math.random() * 20)));
  }
  throw new AppError('PAYOUT_BUSY', '放款处理繁忙，请稍后再试');
}
