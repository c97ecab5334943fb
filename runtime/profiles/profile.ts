import type { Clock } from '../../engine/ports/clock.ts';
import type { StateStore } from '../../engine/ports/state-store.ts';
import type { ReadinessReport } from '../http/deps.ts';
import type { RunQueue } from '../queue/run-queue.ts';
import type { Records } from '../records/records.ts';
import type { Schedules } from '../schedules/schedules.ts';

/**
 * Where state, records, the queue and the schedules live (DESIGN section 4). The engine and the
 * rest of the runtime see only these ports; the profile is chosen by configuration.
 */
export interface Profile {
  name: 'embedded' | 'distributed';
  state: StateStore;
  records: Records;
  queue: RunQueue;
  /**
   * The schedules. Embedded: in-process timers that call `fire`. Distributed: BullMQ job
   * schedulers whose firings reach workers as `schedule` jobs (`fire` is not called).
   */
  createSchedules(fire: (playbook: string, firedAt: number) => Promise<void>, onError: (playbook: string, error: unknown) => void): Schedules;
  readiness(): Promise<ReadinessReport>;
  close(): Promise<void>;
}

interface ProfileContext {
  clock: Clock;
}
