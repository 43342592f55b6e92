import { z } from 'zod';

/** Loan ids as the loan domain issues them. */
export const loanIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
