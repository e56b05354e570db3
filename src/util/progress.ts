/** A one-line progress bar on stderr with rate and ETA; silent when stderr is not a terminal unless forced. */
export class Progress {
  private readonly started = Date.now();
  private done = 0;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly enabled = process.stderr.isTTY === true,
  ) {}

  tick(count = 1): void {
    this.done += count;
    const now = Date.now();
    if (this.enabled && (now - this.lastDraw > 200 || this.done >= this.total)) {
      this.lastDraw = now;
      process.stderr.write(`\r${this.render(now)}`);
      if (this.done >= this.total) process.stderr.write("\n");
    }
  }

  render(now = Date.now()): string {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = this.done / seconds;
    const eta = rate > 0 ? (this.total - this.done) / rate : 0;
    const width = 30;
    const filled = this.total > 0 ? Math.round((this.done / this.total) * width) : width;
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    return `${this.label} [${bar}] ${this.done}/${this.total} ${rate.toFixed(1)}/s ETA ${eta.toFixed(0)}s`;
  }
}
