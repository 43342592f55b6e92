import { AppError } from '../runtime/app-error';
import { bookingCommit, withPendingStepFolded } from './booking';
import type { PayoutDoc } from './payout-doc';
import type { PayoutCommit, PayoutDeps } from './ports';

/** How often a conditional write is re-decided after losing a race before giving up. */
const MAX_RACES = 12;

/**
 * Reads the payout, lets `decide` compute the commit on that exact version, and writes it only if
 * nobody wrote in between; on a lost race it reads again and decides again. `decide` must be pure
 * (it may run several times). A booking still pending on the payout is committed first, in its own
 * transaction, and the change decided again on the booked payout (no re-read), unless the change
 * carries it on (a later state booked with it) or absorbs it (only the loan's awaiting_confirmation
 * step: folded into the change's transaction; booking.ts). Returns the document
 * as stored afterwards (never read back).
 */
export async function writePayout(
  deps: PayoutDeps,
  find: () => Promise<PayoutDoc | undefined>,
  decide: (doc: PayoutDoc) => PayoutCommit | undefined,
): Promise<PayoutDoc | undefined> {
  let booked: PayoutDoc | undefined;
  for (let race = 0; race < MAX_RACES; race++) {
    const doc = booked ?? (await find());
    booked = undefined;
    if (!doc) return undefined;
    const decided = decide(doc);
    if (!decided) return doc;
    const now = deps.clock.now();
    const folded = withPendingStepFolded(decided, doc, now);
    const commit = folded ?? decided;
    const booking = decided.carriesBooking || folded ? undefined : bookingCommit(doc, now);
    const result = await deps.store.commit(booking ?? commit);
    if (result.kind === 'committed' && !booking) return result.doc;
    if (result.kind === 'committed') {
      booked = result.doc;
      continue;
    }
    if (result.kind === 'refused') throw new AppError(result.code, result.message);
    // A short random pause keeps racing writers (shared audit head) from colliding again at once.
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.floor(Math.random() * 20)));
  }
  throw new AppError('PAYOUT_BUSY', '放款处理繁忙，请稍后再试');
}

/**
 * Commits the pending booking of `doc` (the payout in hand; re-read only after a lost race) and
 * answers the payout as stored afterwards. A payout with nothing pending is answered as it is.
 */
export async function bookPayout(deps: PayoutDeps, doc: PayoutDoc): Promise<PayoutDoc> {
  if (!doc.bookingPending) return doc;
  let first: PayoutDoc | undefined = doc;
  const stored = await writePayout(
    deps,
    async () => {
      const held = first ?? (await deps.store.get(doc._id));
      first = undefined;
      return held;
    },
    (current) => bookingCommit(current, deps.clock.now()),
  );
  return stored ?? doc;
}
