import { z } from 'zod';
import { recordAudit } from '../audit/audit-log';
import { applicationIdSchema } from '../loan/borrower-actions';
import type { LoanDeps } from '../loan/deps';
import { action } from '../runtime/handler';
import type { Caller } from '../runtime/caller';
import { amlReports, revealBorrower, setBlacklisted, setFrozen, verifyAuditChain } from './borrower-controls';
import { dashboard } from './dashboard';
import { authenticateOperator, type Operator } from './operator-auth';
import { claimApplication, decideApplication } from './review-actions';
import { REASON_CATALOGUE, reasonFields } from './reasons';
import { applicationDetail, QUEUE_STATUSES, reviewQueue } from './review-queue';

/** A borrower's openid as an operator sends it (a plain string: no query objects). */
const openidSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const page = {
  offset: z.number().int().min(0).max(100_000).default(0),
  limit: z.number().int().min(1).max(100).default(20),
};

/** Optional access to plaintext identity (the identity domain's revealIdentity). */
export type RevealPort = (openid: string, reason: string) => Promise<unknown>;

/** Who is acting for one action (the ops function's own check, or a workbench session's). */
export type OperatorCheck = (caller: Caller, action: string) => Promise<Operator>;

/**
 * Runs after a freeze or blacklisting committed, with the loans whose open bill it marked for
 * cancellation (the payout domain requests the cancels from WeChat; must not throw).
 */
export type AfterBlock = (markedLoanIds: readonly string[]) => Promise<void>;

/** The `ops` function's actions; every one authenticates the operator and is audited. */
export function opsActions(
  deps: () => LoanDeps,
  reveal: RevealPort | undefined,
  afterChange: (applicationId: string) => Promise<void>,
  afterBlock: AfterBlock,
  authenticate?: OperatorCheck,
) {
  const as = async (caller: Caller, name: string): Promise<Operator> => {
    if (authenticate) return authenticate(caller, name);
    const d = deps();
    return authenticateOperator(d.store, d.clock, caller, name);
  };
  /** Read-only actions record that they were used. */
  const audited = async <T>(
    operator: Operator,
    event: string,
    details: Record<string, unknown>,
    result: T,
  ): Promise<T> => {
    const d = deps();
    await recordAudit(d.store, {
      at: d.clock.now(),
      actor: operator.id,
      actorType: 'operator',
      event,
      subject: 'ops',
      outcome: 'success',
      details,
    });
    return result;
  };
  return {
    queue: action({
      input: z.strictObject({
        status: z.enum(QUEUE_STATUSES).optional(),
        claimed: z.enum(['unclaimed', 'mine']).optional(),
        ...page,
      }),
      run: async (input, caller) => {
        const operator = await as(caller, 'queue');
        const items = await reviewQueue(deps().store, { ...input, operatorId: operator.id });
        return audited(
          operator,
          'ops.queue',
          { status: input.status ?? 'all', count: items.length },
          { items },
        );
      },
    }),
    claim: action({
      input: z.strictObject({
        applicationId: applicationIdSchema,
        expectedVersion: z.number().int().positive().optional(),
      }),
      run: async (input, caller) =>
        claimApplication(deps(), await as(caller, 'claim'), input.applicationId, input.expectedVersion),
    }),
    decide: action({
      input: z.strictObject({
        applicationId: applicationIdSchema,
        decision: z.enum(['approve', 'reject']),
        note: z.string().trim().min(2).max(500),
        reasonCode: z.enum([...REASON_CATALOGUE.approve, ...REASON_CATALOGUE.reject]).optional(),
        expectedVersion: z.number().int().positive().optional(),
      }),
      run: async (input, caller) => {
        const item = await decideApplication(deps(), await as(caller, 'decide'), input);
        await afterChange(input.applicationId);
        return item;
      },
    }),
    application: action({
      input: z.strictObject({ applicationId: applicationIdSchema }),
      run: async (input, caller) => {
        const operator = await as(caller, 'application');
        const item = await applicationDetail(deps().store, input.applicationId);
        return audited(operator, 'ops.application', { applicationId: input.applicationId }, item);
      },
    }),
    freeze: action({
      input: z.strictObject({ openid: openidSchema, ...reasonFields('freeze') }),
      run: async (input, caller) => {
        const operator = await as(caller, 'freeze');
        const { markedLoanIds, ...answer } = await setFrozen(
          deps(),
          operator,
          input.openid,
          true,
          input.reason,
          input.reasonCode,
        );
        await afterBlock(markedLoanIds);
        return answer;
      },
    }),
    unfreeze: action({
      input: z.strictObject({ openid: openidSchema, ...reasonFields('unfreeze') }),
      run: async (input, caller) => {
        const operator = await as(caller, 'unfreeze');
        const { openid, frozen } = await setFrozen(
          deps(),
          operator,
          input.openid,
          false,
          input.reason,
          input.reasonCode,
        );
        return { openid, frozen };
      },
    }),
    blacklist: action({
      input: z.strictObject({
        openid: openidSchema,
        ...reasonFields('blacklist'),
        remove: z.boolean().default(false),
      }),
      run: async (input, caller) => {
        const operator = await as(caller, 'blacklist');
        const { markedLoanIds, ...answer } = await setBlacklisted(
          deps(),
          operator,
          input.openid,
          !input.remove,
          input.reason,
          input.reasonCode,
        );
        await afterBlock(markedLoanIds);
        return answer;
      },
    }),
    reveal: action({
      input: z.strictObject({ openid: openidSchema, ...reasonFields('reveal') }),
      run: async (input, caller) =>
        revealBorrower(
          deps(),
          reveal ? (openid) => reveal(openid, input.reason) : undefined,
          await as(caller, 'reveal'),
          input.openid,
          input.reason,
          input.reasonCode,
        ),
    }),
    verifyAudit: action({
      input: z.strictObject({}),
      run: async (_input, caller) => verifyAuditChain(deps(), await as(caller, 'verifyAudit')),
    }),
    dashboard: action({
      input: z.strictObject({}),
      run: async (_input, caller) => {
        const operator = await as(caller, 'dashboard');
        const figures = await dashboard(deps());
        return audited(operator, 'ops.dashboard', {}, figures);
      },
    }),
    amlReports: action({
      input: z.strictObject({ ...page }),
      run: async (input, caller) => {
        const operator = await as(caller, 'amlReports');
        const reports = await amlReports(deps(), operator, input);
        return audited(operator, 'ops.amlReports', { count: reports.length }, { reports });
      },
    }),
  };
}
