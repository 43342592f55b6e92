/** A one-line progress bar on stderr: `\r[#####.....] 12/20 phase`. */
export class ProgressBar {
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly width = 30,
    private readonly out: NodeJS.WritableStream = process.stderr,
  ) {}

  /** Counts one more unit of work and redraws with the current phase label. */
  tick(label: string): void {
    this.done = Math.min(this.total, this.done + 1);
    this.draw(label);
  }

  /** Redraws without counting (a new phase began). */
  draw(label: string): void {
    const filled = this.total === 0 ? this.width : Math.round((this.done / this.total) * this.width);
    const bar = '#'.repeat(filled) + '.'.repeat(this.width - filled);
    this.out.write(`\r[${bar}] ${this.done}/${this.total} ${label.padEnd(28)}`);
  }

  /** Ends the bar's line. */
  finish(): void {
    this.out.write('\n');
  }
}
