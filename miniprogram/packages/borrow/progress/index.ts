import type { PayoutProgress } from '../../../../typings/payout';
import { codeOf, isRetryable, messageOf } from '../../../services/errors';
import { getApplication } from '../../../services/loan';
import { getPayoutProgress, retryPayout } from '../../../services/payout';
import { BackoffPoller } from '../../../utils/backoff-poller';
import { stateOf } from '../../../utils/instance-state';
import { ACTION_LABELS } from '../../../utils/labels';
import type { LoadStatus } from '../../../utils/load-status';
import { ROUTES } from '../../../utils/routes';
import { openMerchantTransfer } from '../../../utils/wechat';
import { PAYOUT_STATUSES, progressView, stillMoving, type ProgressView } from './view';

/** Non-render state: which application, the last payout answer, the refresh loop. */
interface Private {
  applicationId: string;
  payout?: PayoutProgress;
  poller?: BackoffPoller;
  moving: boolean;
}

const privateOf = (page: object): Private =>
  stateOf<Private>(page, () => ({ applicationId: '', moving: true }));

/** Progress: the server's timeline, refreshed with backoff while moving; receipt confirmation; retry and appeal. */
Component({
  data: {
    load: 'loading' as LoadStatus,
    error: '',
    view: null as ProgressView | null,
    retryable: true,
    labels: ACTION_LABELS,
    autoRefresh: false,
    busy: false,
    actionError: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const own = privateOf(this);
      own.applicationId = query.id ?? '';
      own.poller = new BackoffPoller(() => this.refresh());
      if (!own.applicationId) {
        this.setData({ load: 'error', error: '未找到该借款申请', retryable: false });
        return;
      }
      void this.refresh().then(
        (moving) => this.follow(moving),
        () => undefined,
      );
    },
    onShow() {
      const own = privateOf(this);
      if (this.data.load === 'ready' && own.moving) this.follow(true);
    },
    onHide() {
      this.follow(false);
    },
    onUnload() {
      this.follow(false);
    },
    /** Starts or stops the refresh loop, and shows whether it runs. */
    follow(on: boolean) {
      const poller = privateOf(this).poller;
      if (!poller) return;
      if (on && !poller.active) poller.start();
      if (!on) poller.stop();
      this.setData({ autoRefresh: on });
    },
    /** Reads the application (and its payout) from the server; answers whether it may still move. */
    async refresh(): Promise<boolean> {
      const own = privateOf(this);
      try {
        const app = await getApplication(own.applicationId);
        let payout: PayoutProgress | undefined;
        if (PAYOUT_STATUSES.includes(app.status)) {
          payout = await getPayoutProgress(own.applicationId).catch((error: unknown) => {
            if (codeOf(error) === 'PAYOUT_NOT_FOUND') return undefined;
            throw error;
          });
        }
        own.payout = payout;
        own.moving = stillMoving(app, payout);
        this.setData({
          load: 'ready',
          error: '',
          view: progressView(app, payout),
          autoRefresh: own.moving && this.data.autoRefresh,
        });
        return own.moving;
      } catch (error) {
        if (this.data.load !== 'ready')
          this.setData({ load: 'error', error: messageOf(error), retryable: isRetryable(error) });
        throw error;
      }
    },
    async retryLoad() {
      this.setData({ load: 'loading' });
      await this.refresh().then(
        (moving) => this.follow(moving),
        () => undefined,
      );
    },
    /** Opens WeChat's receipt page; whatever its callback says, the server's answer decides what is shown. */
    async onConfirmReceipt() {
      const confirmation = privateOf(this).payout?.confirmation;
      if (!confirmation || this.data.busy) return;
      this.setData({ busy: true, actionError: '' });
      try {
        await openMerchantTransfer(confirmation);
      } catch (error) {
        // A WeChat too old for the receipt page: nothing was opened, the borrower is told to upgrade.
        this.setData({ busy: false, actionError: messageOf(error) });
        return;
      }
      await this.afterAction();
    },
    async onRetryPayout() {
      if (this.data.busy) return;
      this.setData({ busy: true, actionError: '' });
      try {
        await retryPayout(privateOf(this).applicationId);
      } catch (error) {
        this.setData({ actionError: messageOf(error) });
      }
      await this.afterAction();
    },
    async afterAction() {
      try {
        this.follow(await this.refresh());
      } catch (error) {
        this.setData({ actionError: messageOf(error) });
      } finally {
        this.setData({ busy: false });
      }
    },
    onAppeal() {
      wx.navigateTo({ url: ROUTES.appeal(privateOf(this).applicationId) });
    },
  },
});
