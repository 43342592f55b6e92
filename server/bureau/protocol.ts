import { z } from 'zod';

/** The one endpoint of the credit-bureau protocol, below the configured base URL. */
export const CREDIT_REPORTS_PATH = '/v1/credit-reports';

/** What a credit-report request carries (JSON body, signed). */
export const creditReportRequestSchema = z.strictObject({
  /** Our id of this inquiry (also the nonce), so both sides can match their records. */
  inquiryId: z.string().regex(/^[0-9a-f]{32}$/),
  purpose: z.literal('loan_application'),
  subject: z.strictObject({ name: z.string().min(1).max(64), idNumber: z.string().regex(/^\d{17}[\dX]$/) }),
  authorisation: z.strictObject({
    version: z.string().min(1).max(32),
    textSha256: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.number().int().nonnegative(),
  }),
});

/** A credit-report request. */
export type CreditReportRequest = z.infer<typeof creditReportRequestSchema>;

const count = z.number().int().min(0).max(10_000);

/** The bureau's answer; anything else (shape, types, ranges) is malformed and treated as an outage. */
export const creditReportAnswerSchema = z.discriminatedUnion('found', [
  z.strictObject({
    found: z.literal(true),
    report: z.strictObject({
      creditHistoryMonths: count,
      overdueCount: count,
      maxOverdueDays: count,
      inquiries6m: count,
      debtToIncomePct: z.number().int().min(0).max(1000),
    }),
  }),
  z.strictObject({ found: z.literal(false) }),
]);

/** A well-formed bureau answer. */
export type CreditReportAnswer = z.infer<typeof creditReportAnswerSchema>;
