import type { LoanDeps } from '../loan/deps';
import { DEFAULT_DELIVERY, deliverDue } from './deliver';
import { sdkNotifyPorts } from './sdk-ports';
import { notifyTemplate } from './template';

/**
 * Delivers, in-process, what a committed change queued for one application. In-process because a
 * call to the `notify` function from a borrower's invocation carries SOURCE `wx_client,scf`, which
 * notify refuses. Best effort: whatever this misses, the notify timer delivers; it never runs
 * inside a transaction.
 */
export function deliverAfterChange(deps: () => LoanDeps): (applicationId: string) => Promise<void> {
  return async (applicationId) => {
    try {
      const d = deps();
      await deliverDue(
        d.store,
        d.clock,
        sdkNotifyPorts(d),
        { ...DEFAULT_DELIVERY, template: notifyTemplate() },
        applicationId,
      );
    } catch (error) {
      console.warn(`[notify] post-change delivery deferred to the timer: ${(error as Error).name}`);
    }
  };
}
