import { APPLICATIONS, type ApplicationDoc } from '../loan/application-doc';
import { AppError } from '../runtime/app-error';
import { startPayoutForApplication } from './start';
import type { PayoutRuntime } from './wiring';

/** The system as the actor that starts payouts after an approval. */
const APPROVAL_ACTOR = { id: 'system:approval', type: 'system' } as const;

/**
 * Runs after an application changed (the approval's transaction has committed): when it is now
 * `approved`, starts its payout. Never throws — a refusal (limits) or an outage is logged by code and
 * the reconciler's sweep of approved applications picks the payout up later.
 */
export async function startPayoutAfterApproval(
  runtime: () => PayoutRuntime,
  applicationId: string,
): Promise<void> {
  try {
    const rt = runtime();
    const app = await rt.docs.get<ApplicationDoc>(APPLICATIONS, applicationId);
    if (app?.status !== 'approved') return;
    await startPayoutForApplication(rt.deps, applicationId, APPROVAL_ACTOR);
  } catch (error) {
    const code = error instanceof AppError ? error.code : (error as Error).name;
    console.warn(`[payout] not started after approval: ${code}`);
  }
}

/**
 * The reconciler's safety net: approved applications without a payout (a crash between the
 * approval and the start, or a limit that refused yesterday) are started now.
 */
export async function startPendingApprovals(rt: PayoutRuntime, limit = 200): Promise<number> {
  const approved = await rt.docs.find<ApplicationDoc>(
    APPLICATIONS,
    { status: 'approved' },
    { limit, orderBy: { field: 'updatedAt', direction: 'asc' } },
  );
  let started = 0;
  for (const app of approved) {
    if (await rt.deps.store.get(app._id)) continue;
    try {
      await startPayoutForApplication(rt.deps, app._id, APPROVAL_ACTOR);
      started += 1;
    } catch (error) {
      console.warn(
        `[payout] pending approval not started: ${error instanceof AppError ? error.code : (error as Error).name}`,
      );
    }
  }
  return started;
}
