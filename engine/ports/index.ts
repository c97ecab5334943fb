import type { Clock } from './clock.ts';
import type { HttpProbe } from './http.ts';
import type { Ids } from './ids.ts';
import type { Llm } from './llm.ts';
import type { VectorMemory } from './memory.ts';
import type { Notifier } from './notifier.ts';
import type { RecordStore } from './record-store.ts';
import type { Shell } from './shell.ts';
import type { StateStore } from './state-store.ts';
import type { Tools } from './tools.ts';

/** Everything the interpreter may touch. Production, dry-run and tests differ only here. */
export interface Ports {
  clock: Clock;
  ids: Ids;
  state: StateStore;
  records: RecordStore;
  llm: Llm;
  shell: Shell;
  memory: VectorMemory;
  notifier: Notifier;
  tools: Tools;
  http: HttpProbe;
}

