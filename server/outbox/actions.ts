import { z } from 'zod';
import type { LoanDeps } from '../loan/deps';
import { AppError } from '../runtime/app-error';
import { isFromClient } from '../runtime/caller';
import { action } from '../runtime/handler';
import { deliverDue, type DeliverySettings, type NotifyPorts } from './deliver';

/** The `notify` function's action (server, console and timer only). */
export function notifyActions(
  deps: () => LoanDeps,
  ports: () => NotifyPorts,
  settings: () => DeliverySettings,
) {
  return {
    deliver: action({
      input: z.strictObject({
        applicationId: z
          .string()
          .regex(/^[0-9a-f]{32}$/)
          .optional(),
      }),
      run: async (input, caller) => {
        if (isFromClient(caller)) throw new AppError('NOTIFY_FORBIDDEN', '该功能不对小程序开放');
        const d = deps();
        return deliverDue(d.store, d.clock, ports(), settings(), input.applicationId);
      },
    }),
  };
}
