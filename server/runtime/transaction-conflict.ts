/**
 * True when CloudBase refused a transaction because another one holds the document or won the
 * commit. The emulator answers DATABASE_TRANSACTION_CONFLICT; wx-server-sdk rewrites a write that
 * hits another transaction's lock into errCode -501001 keeping only the server's message, and
 * retries only commit-time conflicts itself, so code and message text are all there is to go on.
 */
export function isCloudTransactionConflict(error: unknown): boolean {
  const fields = (error ?? {}) as { code?: unknown; message?: unknown; errMsg?: unknown };
  if (fields.code === 'DATABASE_TRANSACTION_CONFLICT') return true;
  const text = `${String(fields.message ?? '')} ${String(fields.errMsg ?? '')}`;
  return /DATABASE_TRANSACTION_CONFLICT|another transaction is writing this document|transaction conflict/i.test(
    text,
  );
}
