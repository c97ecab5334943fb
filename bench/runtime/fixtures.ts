/**
 * What the runtime benches send and run with: the captured Uptime Kuma DOWN body with its time
 * set near now, and the scripted adapters that let the supervisor finish without outside systems.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import type { World } from '../../runtime/service/world.ts';

export const REPO_ROOT = join(import.meta.dirname, '../..');
const KUMA_DOWN = join(REPO_ROOT, 'examples/uptime-kuma/down.json');

export const KUMA_PATH = '/hooks/uptime-kuma';
export const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** The scripted LLM, shell, memory, notifier and tools; the caller keeps the real clock. */
export function benchWorld(now: number): World {
  const llm = JSON.parse(readFileSync(join(REPO_ROOT, 'examples/llm-auto-execute.json'), 'utf8')) as Record<string, unknown>;
  const w = createScriptedWorld({ now, llm });
  return { llm: w.llm, shell: w.shell, memory: w.memory, notifier: w.notifier, tools: w.tools, http: w.http };
}

/** Uptime Kuma's `heartbeat.time`: UTC, "YYYY-MM-DD HH:MM:SS.mmm". */
export function kumaTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** The fields of the Uptime Kuma DOWN sample the benches rewrite; the rest is kept as is. */
interface KumaDownBody {
  heartbeat: Record<string, unknown>;
  monitor: Record<string, unknown>;
  msg: string;
  [field: string]: unknown;
}

function downBody(): KumaDownBody {
  return JSON.parse(readFileSync(KUMA_DOWN, 'utf8')) as KumaDownBody;
}

/** The DOWN alert of monitor 1 ("web-1 nginx") at `at`: the same fingerprint every time. */
export function identicalAlert(at: number): string {
  const body = downBody();
  body['heartbeat']['time'] = kumaTime(at);
  return JSON.stringify(body);
}

const ID = '@@ID@@';

/**
 * A DOWN alert per number: monitor n named "web-1 svc<n>", so each has its own fingerprint and
 * service. Built by joining a pre-split template: the load generator must not spend its time in
 * JSON.stringify.
 */
export function variedAlerts(at: number): (n: number) => string {
  const body = downBody();
  body['heartbeat']['time'] = kumaTime(at);
  body['heartbeat']['monitorID'] = ID;
  body['monitor']['id'] = ID;
  body['monitor']['name'] = `web-1 svc${ID}`;
  body['monitor']['pathName'] = `web-1 svc${ID}`;
  body['monitor']['path'] = [`web-1 svc${ID}`];
  body['msg'] = `[web-1 svc${ID}] [Down] connect ECONNREFUSED`;
  const parts = JSON.stringify(body).split(ID);
  return (n) => parts.join(String(n));
}
