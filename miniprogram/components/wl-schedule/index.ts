/** A repayment schedule table; rows come from `scheduleRows` (amounts already in yuan). */
Component({
  properties: {
    /** ScheduleRow[]. */
    rows: { type: Array, value: [] },
  },
});
