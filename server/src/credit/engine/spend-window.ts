/**
 * A rolling sum of spend over time, for the 24-hour spend limits: spend is added with
 * the time it was posted, and `sumAfter(start)` drops what is not later than `start`
 * and returns the rest. Sums stay exact (bigint) and a query is amortized O(1): each
 * entry is added once and dropped once. One entry per posting transaction (a batch of
 * charges shares its transaction's time), so a busy account keeps at most one per
 * batch per day.
 *
 * `start` must never move backwards (it is max(now − 24 h, last Reset), both of which
 * only grow), because what it drops is gone.
 */
export class SpendWindow {
  private times: number[] = [];
  private micros: bigint[] = [];
  private head = 0;
  private total = 0n;

  /** Adds spend posted at `atMs` (negative for a reversal). A late arrival joins the newest entry, never a dropped one. */
  add(atMs: number, micros: bigint): void {
    if (micros === 0n) return;
    const last = this.times.length - 1;
    if (last >= this.head && this.times[last]! >= atMs) this.micros[last] = this.micros[last]! + micros;
    else {
      this.times.push(atMs);
      this.micros.push(micros);
    }
    this.total += micros;
  }

  /** Spend posted after `startMs` (as the SQL's `created_at > since`). */
  sumAfter(startMs: number): bigint {
    while (this.head < this.times.length && this.times[this.head]! <= startMs) {
      this.total -= this.micros[this.head]!;
      this.head++;
    }
    // Compact now and then so that dropped entries do not accumulate.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.micros = this.micros.slice(this.head);
      this.head = 0;
    }
    return this.total;
  }
}
