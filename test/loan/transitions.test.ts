import {
  ACTIVE_STATUSES,
  ALL_STATUSES,
  BORROWER_CANCELLABLE,
  canTransition,
  isTerminal,
  STATUS_LABELS,
  TRANSITIONS,
} from '../../server/loan/transitions';
import { NOTIFIED_STATUSES } from '../../server/outbox/enqueue';

describe('transition table', () => {
  it('names only known statuses and labels every one', () => {
    for (const [from, tos] of Object.entries(TRANSITIONS)) {
      expect(ALL_STATUSES).toContain(from);
      for (const to of tos) expect(ALL_STATUSES).toContain(to);
    }
    for (const s of ALL_STATUSES) expect(STATUS_LABELS[s]).toBeTruthy();
    for (const s of NOTIFIED_STATUSES) expect(ALL_STATUSES).toContain(s);
  });

  it('terminal statuses are not active and lead nowhere', () => {
    for (const s of ALL_STATUSES.filter(isTerminal)) {
      expect(ACTIVE_STATUSES).not.toContain(s);
      for (const t of ALL_STATUSES) expect(canTransition(s, t)).toBe(false);
    }
    expect(ALL_STATUSES.filter(isTerminal).sort()).toEqual([
      'appeal_denied',
      'cancelled',
      'settled',
      'written_off',
    ]);
  });

  it('every status is reachable from submitted', () => {
    const seen = new Set(['submitted']);
    const queue = ['submitted'];
    while (queue.length) {
      const s = queue.shift() as keyof typeof TRANSITIONS;
      for (const t of TRANSITIONS[s]) {
        if (seen.has(t)) continue;
        seen.add(t);
        queue.push(t);
      }
    }
    expect([...seen].sort()).toEqual([...ALL_STATUSES].sort());
  });

  it('borrowers may cancel only where the table allows cancelling', () => {
    for (const s of BORROWER_CANCELLABLE) expect(canTransition(s, 'cancelled')).toBe(true);
    expect(canTransition('disbursing', 'cancelled')).toBe(false);
    expect(canTransition('scoring', 'cancelled')).toBe(false);
  });
});
