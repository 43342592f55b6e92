import type { LoanDeps } from '../../server/loan/deps';
import { loanDepsFromEnv } from '../../server/loan/wiring';
import { notifyActions } from '../../server/outbox/actions';
import {
  DEFAULT_DELIVERY,
  deliverDue,
  type DeliverySettings,
  type NotifyPorts,
} from '../../server/outbox/deliver';
import { sdkNotifyPorts } from '../../server/outbox/sdk-ports';
import { notifyTemplate } from '../../server/outbox/template';
import { currentCaller } from '../../server/runtime/cloud';
import { callerVerdict, TIMER_ENTRY } from '../../server/runtime/caller-table';
import { dispatchActions, refusal } from '../../server/runtime/handler';
import type { ApiResult } from '../../typings/api';

let deps: LoanDeps | undefined;
let ports: NotifyPorts | undefined;

/** Wired once per instance. */
function loanDeps(): LoanDeps {
  deps ??= loanDepsFromEnv();
  return deps;
}

function notifyPorts(): NotifyPorts {
  ports ??= sdkNotifyPorts(loanDeps());
  return ports;
}

function settings(): DeliverySettings {
  return { ...DEFAULT_DELIVERY, template: notifyTemplate() };
}

const dispatch = dispatchActions(
  notifyActions(loanDeps, notifyPorts, settings),
  currentCaller,
  {},
  { fn: 'notify' },
);

/** Outbox delivery: `deliver` after a change, and every timer tick. Never from a client. */
export async function main(event: unknown): Promise<ApiResult<unknown>> {
  if ((event as { Type?: unknown } | null)?.Type === 'Timer') {
    // The caller table, before any database access: only a real timer trigger delivers.
    if (callerVerdict('notify', TIMER_ENTRY, currentCaller(), event) !== 'allow') return refusal('notify');
    const d = loanDeps();
    try {
      return { ok: true, data: await deliverDue(d.store, d.clock, notifyPorts(), settings()) };
    } catch (error) {
      console.error(`[notify] tick failed: ${(error as Error).name}`);
      return { ok: false, error: { code: 'INTERNAL_ERROR', message: 'delivery tick failed' } };
    }
  }
  return dispatch(event);
}
