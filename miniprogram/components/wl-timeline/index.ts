/**
 * An application's timeline drawn by its outcome's kind: steps in the brand colour, except that a
 * failed outcome's last step is red with a ✕, never a brand-coloured ✔.
 */
Component({
  properties: {
    /** `{ text, desc }` per step, oldest first. */
    steps: { type: Array, value: [] },
    /** Index of the current step. */
    active: { type: Number, value: 0 },
    /** StatusKind of the outcome. */
    kind: { type: String, value: 'progress' },
  },
});
