import { isRetryable, messageOf } from '../../services/errors';
import { getIdentityStatus } from '../../services/identity';
import { getOffer, listApplications } from '../../services/loan';
import { getSchedule } from '../../services/repayment';
import type { LoadStatus } from '../../utils/load-status';
import { go } from '../../utils/routes';
import { homeSummary, REPAYING_STATUSES, type HomeSummary } from './summary';

/** Home: the borrower's current state and the one next action. */
Component({
  data: {
    load: 'loading' as LoadStatus,
    error: '',
    retryable: true,
    summary: null as HomeSummary | null,
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
        const [identity, applications, offer] = await Promise.all([
          getIdentityStatus(),
          listApplications(0, 1),
          getOffer(),
        ]);
        const latest = applications[0];
        const schedule =
          latest && REPAYING_STATUSES.includes(latest.status) ? await getSchedule(latest.id) : undefined;
        this.setData({ load: 'ready', summary: homeSummary(identity, latest, offer, schedule) });
      } catch (error) {
        this.setData({ load: 'error', error: messageOf(error), retryable: isRetryable(error) });
      }
    },
    onAction() {
      if (this.data.summary) go(this.data.summary.actionUrl);
    },
  },
});
