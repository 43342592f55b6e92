import type { ApplicationView } from '../../../typings/loan';
import { scheduleRows } from '../../components/wl-schedule/rows';
import { isRetryable, messageOf } from '../../services/errors';
import { listApplications, quoteLoan } from '../../services/loan';
import { stateOf } from '../../utils/instance-state';
import { ACTION_LABELS } from '../../utils/labels';
import type { LoadStatus } from '../../utils/load-status';
import { go, ROUTES } from '../../utils/routes';
import { loanRows, type LoanRow } from './rows';

const privateOf = (page: object): { apps: ApplicationView[] } =>
  stateOf(page, () => ({ apps: [] as ApplicationView[] }));

/** My loans: every application with amount, date, status and, on request, its repayment schedule. */
Component({
  data: {
    load: 'loading' as LoadStatus,
    error: '',
    retryable: true,
    labels: ACTION_LABELS,
    rows: [] as LoanRow[],
  },
  methods: {
    onLoad() {
      void this.refresh();
    },
    onShow() {
      if (this.data.load !== 'loading') void this.refresh();
    },
    async refresh() {
      this.setData({ load: 'loading', error: '' });
      try {
        const apps = await listApplications();
        privateOf(this).apps = apps;
        this.setData({ load: apps.length ? 'ready' : 'empty', rows: loanRows(apps) });
      } catch (error) {
        this.setData({ load: 'error', error: messageOf(error), retryable: isRetryable(error) });
      }
    },
    /** The empty list's next action. */
    onApply() {
      go(ROUTES.apply);
    },
    onOpen(event: WechatMiniprogram.BaseEvent) {
      go(ROUTES.progress(String(event.currentTarget.dataset.id)));
    },
    /** Prices the loan's terms again; shown only when the rate is the one the loan was agreed at. */
    async onSchedule(event: WechatMiniprogram.BaseEvent) {
      const index = Number(event.currentTarget.dataset.index);
      const app = privateOf(this).apps[index];
      if (!app) return;
      try {
        const quote = await quoteLoan(app.amount, app.termMonths, app.method);
        const same = quote.aprBps === app.aprBps;
        this.setData({
          [`rows[${index}].schedule`]: same ? scheduleRows(quote.schedule) : [],
          [`rows[${index}].scheduleNote`]: same ? '' : '产品利率已调整，还款计划以借款协议为准',
        });
      } catch (error) {
        this.setData({ [`rows[${index}].scheduleNote`]: messageOf(error) });
      }
    },
  },
});
