import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Io } from '../io.ts';
import { retime } from '../send/retime.ts';

export interface SendOptions {
  file: string;
  source?: string;
  url: string;
  now?: boolean;
  token?: string;
  format: 'text' | 'json';
}

/** The folders of examples/ are named after the built-in sources. */
const KNOWN_SOURCES = ['uptime-kuma', 'alertmanager', 'observium'];

/**
 * `engine send FILE`: posts a webhook body to a running server, as the monitoring tool would,
 * and prints the answer. `--now` first moves the sample's times so it happened now. Exit 0 on
 * a 2xx, 1 on any other answer, 2 when nothing could be sent.
 */
export interface SendDeps {
  fetch: typeof fetch;
  now: () => number;
}

export async function sendCommand(options: SendOptions, io: Io, deps: SendDeps = { fetch, now: Date.now }): Promise<number> {
  const source = options.source ?? sourceFromPath(options.file);
  if (source === null) {
    io.stderr(`send: cannot tell the source of ${options.file} from its folder; give --source (${KNOWN_SOURCES.join(', ')} or a configured name)`);
    return 2;
  }
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(options.file, 'utf8'));
  } catch (e) {
    io.stderr(`send: ${options.file}: ${(e as Error).message}`);
    return 2;
  }
  if (options.now) body = retime(body, deps.now()).body;
  const url = `${options.url.replace(/\/+$/, '')}/hooks/${encodeURIComponent(source)}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await deps.fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    io.stderr(`send: no answer from ${url}${cause ? ` (${cause})` : ''}: is engine serve running? (npm start)`);
    return 2;
  }
  const text = await res.text();
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // not JSON: printed as text
  }
  if (options.format === 'json') io.stdout(JSON.stringify({ status: res.status, body: answer }, null, 2));
  else io.stdout(`${res.status} ${res.statusText}\n${typeof answer === 'string' ? answer : JSON.stringify(answer, null, 2)}`);
  return res.ok ? 0 : 1;
}

function sourceFromPath(file: string): string | null {
  const folder = basename(dirname(file));
  return KNOWN_SOURCES.includes(folder) ? folder : null;
}
