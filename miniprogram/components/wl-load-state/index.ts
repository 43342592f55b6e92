/** Loading spinner, empty placeholder or error with a retry button; renders nothing when ready. */
Component({
  properties: {
    /** `loading` | `ready` | `empty` | `error`. */
    status: { type: String, value: 'loading' },
    /** Error text (shown when status is `error`). */
    message: { type: String, value: '' },
    /** Text of the empty placeholder. */
    emptyText: { type: String, value: '暂无数据' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
  },
});
