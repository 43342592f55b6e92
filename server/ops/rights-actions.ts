import { z } from 'zod';
import { recordOperatorRead } from '../audit/operator-read';
import type { Clock } from '../clock';
import { completeDeletion } from '../identity/account-closure';
import { resolveCorrection } from '../identity/correction-resolution';
import { openRightsRequests } from '../identity/rights-queue';
import type { PiiKeys } from '../pii';
import { action } from '../runtime/handler';
import type { DocStore } from '../storage/doc-store';
import type { OperatorCheck } from './actions';
import { requireTableRole } from './operator-auth';
import type { TableAction } from '../operators/roles';
import { reasonFields } from './reasons';

/** What the rights actions need: the database, the clock and the personal-data keys. */
export interface RightsOpsDeps {
  store: DocStore;
  clock: Clock;
  keys: PiiKeys;
}

const openidSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const fieldSchema = z.enum(['name', 'idNumber', 'phone']);
const cursorSchema = z.strictObject({
  requestedAt: z.number().int().min(0),
  seen: z.array(z.string().min(1).max(200)).max(200),
});

/**
 * The `ops` actions that answer borrowers' personal-information rights requests (the roles the table names: supervisors):
 * `identityRequests` (open requests, oldest first, masked, cursor paged), `resolveCorrection`
 * (approve / reject with a catalogue reason and a note) and `completeDeletion` (closes the account).
 */
export function rightsOpsActions(deps: () => RightsOpsDeps, check: OperatorCheck) {
  const allowed = async (caller: Parameters<OperatorCheck>[0], name: TableAction) => {
    const operator = await check(caller, name);
    requireTableRole(operator, name);
    return operator;
  };
  return {
    identityRequests: action({
      input: z.strictObject({
        limit: z.number().int().min(1).max(50).default(20),
        cursor: cursorSchema.optional(),
      }),
      run: async (input, caller) => {
        const operator = await allowed(caller, 'identityRequests');
        const d = deps();
        const page = await openRightsRequests(d, input);
        await recordOperatorRead(d.store, {
          at: d.clock.now(),
          operator: operator.id,
          event: 'ops.identityRequests',
          details: { count: page.items.length },
        });
        return page;
      },
    }),
    resolveCorrection: action({
      input: z.discriminatedUnion('decision', [
        z.strictObject({
          openid: openidSchema,
          field: fieldSchema,
          decision: z.literal('approve'),
          ...reasonFields('correctionApprove'),
        }),
        z.strictObject({
          openid: openidSchema,
          field: fieldSchema,
          decision: z.literal('reject'),
          ...reasonFields('correctionReject'),
        }),
      ]),
      run: async (input, caller) => {
        const operator = await allowed(caller, 'resolveCorrection');
        const { reason, ...rest } = input;
        return resolveCorrection(deps(), operator.id, { ...rest, note: reason });
      },
    }),
    completeDeletion: action({
      input: z.strictObject({ openid: openidSchema, ...reasonFields('deletion') }),
      run: async (input, caller) => {
        const operator = await allowed(caller, 'completeDeletion');
        return completeDeletion(deps(), operator.id, input.openid, input.reasonCode);
      },
    }),
  };
}
