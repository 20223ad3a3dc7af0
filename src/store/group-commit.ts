/**
 * Group commit: many concurrent writes sent as one statement, so one round trip and one commit
 * (one WAL flush) serve them all. Internal module.
 *
 * Each caller's promise settles only when the statement carrying its write has committed: the
 * durability of a single write is unchanged, only its commit is shared. Batches form by
 * themselves under load and cost nothing without it:
 *
 * - a write arriving while fewer than `maxConcurrent` batches are in flight is sent at the end of
 *   the current event-loop turn (`setImmediate`), together with every write that arrived in the
 *   same turn: a lone write waits microseconds, never a timer;
 * - while `maxConcurrent` batches are in flight, writes queue, and the next batch leaves as soon
 *   as one comes back, carrying up to `maxBatch` of them;
 * - two writes with the same key (a gid) never share a batch: the second waits for the next
 *   one, so writes to one row stay in order and a multi-row statement never meets its own row;
 * - when a batch fails, each of its writes is sent again alone, so one bad write (a constraint,
 *   a deadlock with another instance) fails only its own caller.
 *
 * The queue is bounded by its callers: each waits for its own answer, and the executor bounds
 * how many transactions run at once.
 */

export interface GroupCommitOptions<I, O> {
  /** Writes one batch as one statement; the answers in the items' order. */
  readonly write: (items: readonly I[]) => Promise<readonly O[]>;
  /** Writes that must not share a batch have the same key. */
  readonly keyOf: (item: I) => string;
  /** Most writes in one batch. */
  readonly maxBatch: number;
  /** Most batches in flight at once (each holds one database connection while it runs). */
  readonly maxConcurrent: number;
}

interface Pending<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (reason: unknown) => void;
}

export interface GroupCommit<I, O> {
  /** Write `item` in the next batch; resolves once that batch has committed. */
  submit(item: I): Promise<O>;
  /** Batches in flight and writes waiting (for metrics and tests). */
  readonly stats: { readonly inFlight: number; readonly queued: number; readonly batches: number; readonly writes: number };
}

export function createGroupCommit<I, O>(options: GroupCommitOptions<I, O>): GroupCommit<I, O> {
  const { write, keyOf, maxBatch, maxConcurrent } = options;
  let queue: Pending<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;
  let batches = 0;
  let writes = 0;

  function schedule(): void {
    if (scheduled || queue.length === 0 || inFlight >= maxConcurrent) return;
    scheduled = true;
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    while (queue.length > 0 && inFlight < maxConcurrent) {
      const batch = take();
      inFlight++;
      batches++;
      writes += batch.length;
      void run(batch).finally(() => {
        inFlight--;
        // Whatever queued meanwhile leaves now, without waiting for another turn.
        if (queue.length > 0 && !scheduled) flush();
      });
    }
  }

  /** The next batch: queue order, at most maxBatch, one write per key. */
  function take(): Pending<I, O>[] {
    const batch: Pending<I, O>[] = [];
    const keys = new Set<string>();
    const rest: Pending<I, O>[] = [];
    for (const p of queue) {
      const key = keyOf(p.item);
      if (batch.length < maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(p);
      } else {
        rest.push(p);
      }
    }
    queue = rest;
    return batch;
  }

  async function run(batch: readonly Pending<I, O>[]): Promise<void> {
    try {
      const answers = await write(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(answers[i]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // Alone, each write succeeds or fails on its own merits.
      await Promise.all(
        batch.map(async (p) => {
          try {
            p.resolve((await write([p.item]))[0]!);
          } catch (err) {
            p.reject(err);
          }
        }),
      );
    }
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
    get stats() {
      return { inFlight, queued: queue.length, batches, writes };
    },
  };
}
