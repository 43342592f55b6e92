/** A refusal or failure the caller can act on: a stable code plus a readable message. */
export class AppError extends Error {
  constructor(
    /** Stable UPPER_SNAKE code. */
    readonly code: string,
    /** Message for the borrower or operator; never internals or personal data. */
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
