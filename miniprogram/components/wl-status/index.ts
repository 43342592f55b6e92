/** One outcome drawn by its kind (success, in progress, needs you, failed): headline, reason once, next step. */
Component({
  properties: {
    /** StatusKind. */
    kind: { type: String, value: 'progress' },
    /** Short headline. */
    headline: { type: String, value: '' },
    /** A plain fact under the headline (amount, due date …); '' for none. */
    detail: { type: String, value: '' },
    /** Why, said once; '' when there is nothing to explain. */
    reason: { type: String, value: '' },
    /** The one next step, in words. */
    next: { type: String, value: '' },
    /** Headline only, for a row in a list. */
    compact: { type: Boolean, value: false },
  },
});
