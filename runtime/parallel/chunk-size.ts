// Chooses how many items go into one task, from measured task time (the idea of Python
// multiprocessing's chunksize, but measured): tasks of about TARGET_MS amortize the per-task cost,
// and no chunk holds more than a quarter of a worker's share, so the work still balances.

const TARGET_MS = 5;

export class ChunkSizer {
  private measuredItems = 0;
  private measuredMs = 0;
  private handedOut = 0;
  private readonly cap: number;

  constructor(total: number, workers: number, private readonly fixed?: number) {
    this.cap = Math.max(1, Math.ceil(total / (workers * 4)));
  }

  next(remaining: number): number {
    let size: number;
    if (this.fixed !== undefined) size = this.fixed;
    else if (this.measuredItems === 0) size = 2 ** Math.min(this.handedOut, 20); // 1, 2, 4... until a measurement comes back
    else {
      const perItem = this.measuredMs / this.measuredItems;
      size = perItem > 0 ? Math.round(TARGET_MS / perItem) : this.cap;
    }
    this.handedOut++;
    return Math.max(1, Math.min(size, this.fixed ?? this.cap, remaining));
  }

  observe(items: number, ms: number): void {
    this.measuredItems += items;
    this.measuredMs += ms;
  }
}
