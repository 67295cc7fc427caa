import { AppException } from '../common/errors/app.exception';

/** One item's outcome in a written batch: its result, or the client error that is its alone. */
export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: AppException };

export interface GroupCommitOptions {
  /** The most items one write takes. */
  maxBatch: number;
}

interface Waiting<I, R> {
  item: I;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items submitted while a write is in flight wait and go together in the next one,
 * in arrival order; an item submitted while none is in flight is written at once, so a lone
 * request waits for nothing. One write runs at a time: two would fail each other's predicate
 * locks under SERIALIZABLE. `write` retries its own serialization failures; a batch whose write
 * still fails is split in halves, written one after the other, down to single items, so a fault
 * of one item reaches only its caller.
 */
export class GroupCommit<I, R> {
  private readonly waiting: Array<Waiting<I, R>> = [];
  private busy = false;

  constructor(
    private readonly write: (items: I[]) => Promise<Array<ItemOutcome<R>>>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.busy || this.waiting.length === 0) return;
    this.busy = true;
    const batch = this.waiting.splice(0, this.options.maxBatch);
    // Busy until the callers just answered have run on: what they write next goes in one batch,
    // not the first of them alone.
    void this.writeSplitting(batch).finally(() =>
      setImmediate(() => {
        this.busy = false;
        this.pump();
      }),
    );
  }

  private async writeSplitting(batch: Array<Waiting<I, R>>): Promise<void> {
    let outcomes: Array<ItemOutcome<R>>;
    try {
      outcomes = await this.write(batch.map((w) => w.item));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      const half = Math.ceil(batch.length / 2);
      await this.writeSplitting(batch.slice(0, half));
      return this.writeSplitting(batch.slice(half));
    }
    batch.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) w.resolve(outcome.value);
      else w.reject(outcome.error);
    });
  }
}
