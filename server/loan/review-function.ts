import { z } from 'zod';
import { action } from '../runtime/handler';
import { AppError } from '../runtime/app-error';
import { isFromClient, type Caller } from '../runtime/caller';
import { APPLICATIONS, type ApplicationDoc } from './application-doc';
import { applicationIdSchema } from './borrower-actions';
import type { LoanDeps } from './deps';
import { reviewApplication } from './review';

/** Review is never callable from the mini-program (any hop of SOURCE being wx_client). */
function refuseClient(caller: Caller): void {
  if (isFromClient(caller)) throw new AppError('REVIEW_FORBIDDEN', '该功能不对小程序开放');
}

/** Reviews every application left in submitted/scoring for longer than `graceMs` (crash recovery). */
export async function reviewStuck(
  deps: LoanDeps,
  graceMs = 60_000,
  limit = 50,
): Promise<{ reviewed: number }> {
  const before = deps.clock.now() - graceMs;
  let reviewed = 0;
  for (const status of ['submitted', 'scoring'] as const) {
    const stuck = await deps.store.find<ApplicationDoc>(
      APPLICATIONS,
      { status, updatedAt: { $lte: before } },
      { orderBy: { field: 'updatedAt', direction: 'asc' }, limit },
    );
    for (const app of stuck) {
      await reviewApplication(deps, app._id);
      reviewed += 1;
    }
  }
  return { reviewed };
}

/** The `review` function's actions (server, console and timer only). */
export function reviewActions(deps: () => LoanDeps, afterChange: (applicationId: string) => Promise<void>) {
  return {
    review: action({
      input: z.strictObject({ applicationId: applicationIdSchema }),
      run: async (input, caller) => {
        refuseClient(caller);
        const decision = await reviewApplication(deps(), input.applicationId);
        await afterChange(input.applicationId);
        return {
          outcome: decision?.outcome ?? null,
          score: decision?.score ?? null,
          policyVersion: decision?.policyVersion ?? null,
        };
      },
    }),
    sweep: action({
      input: z.strictObject({}),
      run: async (_input, caller) => {
        refuseClient(caller);
        return reviewStuck(deps());
      },
    }),
  };
}
