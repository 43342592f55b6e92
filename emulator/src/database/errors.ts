import { AdminError } from '../admin-router';

/** The database error codes wx-server-sdk knows (it maps them to -502001 … -501007). */
export const DbErrorCode = {
  requestFailed: 'DATABASE_REQUEST_FAILED',
  /** Sic: CloudBase spells it this way. */
  invalidOperator: 'DATABASE_INVALID_OPERRATOR',
  permissionDenied: 'DATABASE_PERMISSION_DENIED',
  collectionNotExist: 'DATABASE_COLLECTION_NOT_EXIST',
  /** `db.createCollection` of an existing name (the SDK maps it to -501001). */
  collectionAlreadyExist: 'DATABASE_COLLECTION_ALREADY_EXIST',
  invalidParam: 'INVALID_PARAM',
  transactionConflict: 'DATABASE_TRANSACTION_CONFLICT',
  /** The transaction does not exist on the server (committed, aborted, or not finished within 30 s). */
  transactionFail: 'DATABASE_TRANSACTION_FAIL',
} as const;

/** One of the codes above. */
export type DbErrorCodeValue = (typeof DbErrorCode)[keyof typeof DbErrorCode];

/** A database failure answered to the SDK as `{ code, message }`. */
export class DbError extends AdminError {
  constructor(code: DbErrorCodeValue, message: string) {
    super(code, message);
  }
}

/** Shorthand for the most common failure. */
export function requestFailed(message: string): DbError {
  return new DbError(DbErrorCode.requestFailed, message);
}
