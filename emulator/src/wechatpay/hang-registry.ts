/** Requests held open by timeout faults; released early when the sandbox stops or resets. */
export class HangRegistry {
  private readonly waiting = new Set<() => void>();

  /** Waits `ms` real milliseconds, or until `releaseAll`. */
  hang(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.add(done);
    });
  }

  /** Ends every hang now. */
  releaseAll(): void {
    for (const done of [...this.waiting]) done();
  }
}
