import { ACTION_LABELS } from '../../utils/labels';
import { go, ROUTES } from '../../utils/routes';

/**
 * Loading spinner, empty placeholder (with its next action) or error; renders nothing when ready.
 * An error a retry can fix offers 重试; one it cannot (a bad link, a missing loan) offers 返回首页.
 */
Component({
  properties: {
    /** `loading` | `ready` | `empty` | `error`. */
    status: { type: String, value: 'loading' },
    /** Error text (shown when status is `error`). */
    message: { type: String, value: '' },
    /** Whether trying again can help (see `isRetryable`); false offers the way home instead. */
    retryable: { type: Boolean, value: true },
    /** Text of the empty placeholder. */
    emptyText: { type: String, value: '暂无数据' },
    /** Label of the empty state's next action ('' for none); tapping it fires `action`. */
    emptyAction: { type: String, value: '' },
  },
  data: { labels: ACTION_LABELS },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
    onHome() {
      go(ROUTES.home);
    },
    onEmptyAction() {
      this.triggerEvent('action');
    },
  },
});
