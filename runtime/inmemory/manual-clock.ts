import { EngineError } from '../../engine/errors.ts';
import type { Clock } from '../../engine/ports/clock.ts';

interface Timer {
  deadline: number;
  seq: number;
  resolve: () => void;
}

/**
 * A simulated clock that only moves forward, for dry-run and tests. Timers fire when the clock is
 * moved to or past their deadline, ordered by deadline then by creation; they never fire on
 * their own, so a run cannot depend on wall time.
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(startMs = 0) {
    assertTime(startMs, 'start time');
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` and resolves every timer that is due. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new EngineError('CLOCK_BACKWARDS', `a manual clock only moves forward; advance(${ms}) refused`);
    }
    this.#moveTo(this.#now + ms);
  }

  /** Moves the clock to an absolute epoch ms, which must not be before now. */
  set(ms: number): void {
    assertTime(ms, 'time');
    if (ms < this.#now) {
      throw new EngineError('CLOCK_BACKWARDS', `a manual clock only moves forward; set(${ms}) is before ${this.#now}`);
    }
    this.#moveTo(ms);
  }

  delay(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (Number.isNaN(ms)) {
      return Promise.reject(new EngineError('CLOCK_INVALID_DELAY', 'delay(NaN) has no deadline'));
    }
    const deadline = this.#now + Math.max(0, ms);
    if (deadline <= this.#now) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      const timer: Timer = {
        deadline,
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#timers.push(timer);
    });
  }

  /** Timers waiting for the clock to reach their deadline. */
  pendingTimers(): number {
    return this.#timers.length;
  }

  #moveTo(ms: number): void {
    this.#now = ms;
    const due = this.#timers.filter((t) => t.deadline <= ms);
    if (due.length === 0) return;
    this.#timers = this.#timers.filter((t) => t.deadline > ms);
    due.sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
    for (const t of due) t.resolve();
  }
}

function assertTime(ms: number, what: string): void {
  if (!Number.isFinite(ms)) throw new EngineError('CLOCK_INVALID_TIME', `${what} must be a finite epoch ms, got ${ms}`);
}
