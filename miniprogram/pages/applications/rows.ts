import type { ApplicationView } from '../../../typings/loan';
import { purposeLabel } from '../../shared/loan-purposes';
import { date, methodLabel, yuan } from '../../utils/format';
import type { ScheduleRow } from '../../components/wl-schedule/rows';
import { statusKind, type StatusKind } from '../../utils/status-kind';

/** One loan in the history list, ready to render. */
export interface LoanRow {
  id: string;
  amount: string;
  date: string;
  status: string;
  /** How the status is drawn (wl-status, compact). */
  kind: StatusKind;
  terms: string;
  purpose: string;
  /** The schedule once the borrower asked for it; empty until then. */
  schedule: ScheduleRow[];
  scheduleNote: string;
}

/** Formats the `loan.list` answer. */
export function loanRows(apps: ApplicationView[]): LoanRow[] {
  return apps.map((app) => ({
    id: app.id,
    amount: yuan(app.amount),
    date: date(app.createdAt),
    status: app.timeline[app.timeline.length - 1]?.note ?? '',
    kind: statusKind(app.status),
    terms: `${app.termMonths}个月 · ${methodLabel(app.method)}`,
    purpose: purposeLabel(app.purpose),
    schedule: [],
    scheduleNote: '',
  }));
}
