import { FixtureHttp } from './http.ts';
import { EngineError } from '../../engine/errors.ts';
import type { Ports } from '../../engine/ports/index.ts';
import type { MemoryHit } from '../../engine/ports/memory.ts';
import { CounterIds } from '../inmemory/counter-ids.ts';
import { ManualClock } from '../inmemory/manual-clock.ts';
import { InMemoryRecordStore } from '../inmemory/record-store.ts';
import { InMemoryStateStore } from '../inmemory/state-store.ts';
import { ScriptedLlm } from './llm.ts';
import { FixtureMemory } from './memory.ts';
import { RecordingNotifier } from './notifier.ts';
import { RecordingShell, type ShellScript } from './shell.ts';
import { FixtureTools } from './tools.ts';

export interface WorldFixture {
  /** The start time: epoch ms or an ISO 8601 date-time. */
  now: number | string;
  /** Answers per LLM role (see ScriptedLlm). */
  llm?: Record<string, unknown>;
  memory?: MemoryHit[];
  /** Results per tool name (see FixtureTools). */
  tools?: Record<string, unknown>;
  shell?: ShellScript;
  /** HTTP answers per `METHOD URL` (see FixtureHttp). */
  http?: Record<string, unknown>;
}

export interface ScriptedWorld {
  ports: Ports;
  clock: ManualClock;
  ids: CounterIds;
  llm: ScriptedLlm;
  shell: RecordingShell;
  memory: FixtureMemory;
  notifier: RecordingNotifier;
  tools: FixtureTools;
  http: FixtureHttp;
  state: InMemoryStateStore;
  records: InMemoryRecordStore;
}

/**
 * A whole deterministic world for `engine dry-run`, `engine test` and unit tests: scripted
 * answers, recorded effects, a manual clock and counter ids. The interpreter runs on `ports`
 * exactly as it does in production; the other fields let the caller inspect what it did.
 */
export function createScriptedWorld(fixture: WorldFixture): ScriptedWorld {
  const clock = new ManualClock(startTime(fixture.now));
  const ids = new CounterIds();
  const llm = new ScriptedLlm(fixture.llm ?? {});
  const shell = new RecordingShell(fixture.shell ?? {});
  const memory = new FixtureMemory(fixture.memory ?? []);
  const notifier = new RecordingNotifier();
  const tools = new FixtureTools(fixture.tools ?? {});
  const http = new FixtureHttp(fixture.http ?? {});
  const state = new InMemoryStateStore(clock);
  const records = new InMemoryRecordStore();
  const ports: Ports = { clock, ids, state, records, llm, shell, memory, notifier, tools, http };
  return { ports, clock, ids, llm, shell, memory, notifier, tools, http, state, records };
}

function startTime(now: number | string): number {
  const ms = typeof now === 'number' ? now : isoTime(now);
  if (!Number.isFinite(ms)) {
    throw new EngineError('WORLD_INVALID_NOW', `fixture time ${JSON.stringify(now)} is not epoch ms or an ISO 8601 date-time`);
  }
  return ms;
}

/** Only full ISO date-times: Date.parse alone would accept "March 3" and guess a time zone. */
function isoTime(text: string): number {
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
  return iso.test(text) ? Date.parse(text) : Number.NaN;
}
