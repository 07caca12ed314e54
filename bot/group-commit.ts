/**
 * Group commit: writes asked for in the same turn of the event loop (the claims and replies whose turn
 * came when one Redis reply arrived, say) run in one SQLite transaction at `setImmediate`, each in its
 * own savepoint. A write that throws is rolled back alone and rejects alone; a write that returns
 * (e.g. null after a failed version check) is committed with the others. When the commit itself fails,
 * every write of the batch rejects with that error.
 */
export type GroupCommit = <T>(work: () => T) => Promise<T>;

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** `transaction` runs a function in a transaction, and in a savepoint when called inside one (better-sqlite3's). */
export function createGroupCommit(transaction: <T>(fn: () => T) => T): GroupCommit {
  let pending: Pending[] | null = null;

  function flush(batch: Pending[]): void {
    if (pending === batch) pending = null;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
    try {
      transaction(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: transaction(item.work) });
          } catch (err) {
            outcomes.push({ ok: false, err });
          }
        }
      });
    } catch (err) {
      for (const item of batch) item.reject(err);
      return;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.err);
    });
  }

  return <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!pending) {
        const batch: Pending[] = [];
        pending = batch;
        setImmediate(() => flush(batch));
      }
      pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
}
