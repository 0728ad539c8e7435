/**
 * Capped exponential backoff with jitter for reconnects. The delay resets only
 * after a connection has stayed up for `resetAfterMs`, so a server that accepts
 * and then drops us at once is not hammered.
 */
export class ReconnectBackoff {
  private failures = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly resetAfterMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** Delay before the next attempt; `upForMs` is how long the last connection lasted (0 if it never came up). */
  next(upForMs: number): number {
    if (upForMs >= this.resetAfterMs) this.failures = 0;
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    // Full jitter in the upper half keeps many pollers from reconnecting in step.
    return Math.round(base / 2 + (this.random() * base) / 2);
  }
}
