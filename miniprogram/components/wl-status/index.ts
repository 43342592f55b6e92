/** One outcome drawn by its kind (success, in progress, needs you, failed): headline, reason once, next step. */
Component({
  properties: {
    /** StatusKind. */
    kind: { type: String, value: 'progress' },
    /** Short headline. */
    headline: { type: String, value: '' },
    /** Why, said once; '' when there is nothing to explain. */
    reason: { type: String, value: '' },
    /** The one next step, in words. */
    next: { type: String, value: '' },
  },
});
