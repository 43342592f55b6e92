/** Every cloud function answers one of these two shapes; a thrown exception is a bug. */
export type ApiResult<T> = ApiOk<T> | ApiFailure;

/** A successful answer. */
export interface ApiOk<T> {
  ok: true;
  data: T;
}

/** A refused or failed call: a stable UPPER_SNAKE code and a message the reader can act on. */
export interface ApiFailure {
  ok: false;
  error: ApiError;
}

/** The error carried by an ApiFailure. */
export interface ApiError {
  /** Stable, UPPER_SNAKE; clients switch on it. */
  code: string;
  /** Human-readable (Chinese for borrower-facing functions); never internals or personal data. */
  message: string;
}
