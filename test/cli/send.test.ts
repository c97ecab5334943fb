import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendCommand } from '../../cli/commands/send.ts';
import type { Io } from '../../cli/io.ts';
import { latestTime, retime } from '../../cli/send/retime.ts';
import { defaultSourceTable, normalizeWith } from '../../runtime/http/source-table.ts';
import { startTestServer } from '../support/embedded-server.ts';

const EXAMPLES = join(import.meta.dirname, '../../examples');
const sample = (path: string): unknown => JSON.parse(readFileSync(join(EXAMPLES, path), 'utf8'));
const NOW = Date.parse('2026-12-03T11:00:00.000Z');

function bufferIo(): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

describe('engine send --now: a captured sample as if it happened now', () => {
  const cases: [string, string][] = [
    ['uptime-kuma', 'uptime-kuma/down.json'],
    ['uptime-kuma', 'uptime-kuma/1.23-down.json'],
    ['alertmanager', 'alertmanager/firing.json'],
    ['alertmanager', 'alertmanager/group-resolved.json'],
    ['observium', 'observium/webhook-alert.json'],
    ['observium', 'observium/webhook-json-alert.json'],
  ];
  it.each(cases)('%s %s: the normalized event happens at now, everything else keeps its distance', (source, file) => {
    const body = sample(file);
    const before = latestTime(body)!;
    const { body: moved, shiftedBy } = retime(body, NOW);
    expect(latestTime(moved)).toBe(NOW);
    expect(shiftedBy).toBe(NOW - before);
    const table = defaultSourceTable();
    const config = table.get(source)!;
    const original = normalizeWith(config, body, before + 1000);
    const now = normalizeWith(config, moved, NOW + 1000);
    if (!original.ok || !now.ok) throw new Error(`normalize failed: ${JSON.stringify([original, now])}`);
    expect(now.events.map((e) => Date.parse(e.at) - NOW)).toEqual(original.events.map((e) => Date.parse(e.at) - before));
    // Only times moved: identity, status and text stay as captured.
    const identity = (e: (typeof now.events)[number]) => ({ fingerprint: e.fingerprint, service: e.service, host: e.host, status: e.status, severity: e.severity, message: e.message });
    expect(now.events.map(identity)).toEqual(original.events.map(identity));
  });

  it('keeps each layout: nanoseconds, offsets, RFC 2822 and Unix seconds', () => {
    const moved = retime(
      { a: '2026-11-21T22:59:41.059619843Z', b: '2026-11-21 23:11:52 +00:00', c: 'Sat, 21 Nov 2026 23:11:52 +0000', ALERT_UNIXTIME: '1795302712', d: '4m 29s (2026-11-21 23:07:23)', e: '0001-01-01T00:00:00Z' },
      Date.parse('2026-11-21T23:11:53Z'),
    ).body;
    expect(moved).toEqual({ a: '2026-11-21T22:59:42.059619843Z', b: '2026-11-21 23:11:53 +00:00', c: 'Sat, 21 Nov 2026 23:11:53 +0000', ALERT_UNIXTIME: '1795302713', d: '4m 29s (2026-11-21 23:07:24)', e: '0001-01-01T00:00:00Z' });
  });
});

describe('engine send: posts to a running server', () => {
  it('with --now the sample passes the stale gate and starts a run; the answer is printed and exits 0', async () => {
    const t = await startTestServer({ fixture: { now: new Date(NOW).toISOString() }, adapters: ['notifier'] });
    try {
      const io = bufferIo();
      const code = await sendCommand({ file: join(EXAMPLES, 'uptime-kuma/down.json'), url: t.server.url, now: true, format: 'json' }, io, { fetch, now: () => NOW });
      expect(io.err).toEqual([]);
      expect(code).toBe(0);
      const printed = JSON.parse(io.out.join('\n')) as { status: number; body: { runs: string[] } };
      expect(printed.status).toBe(202);
      expect(printed.body.runs).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('says what went wrong: no source to infer, no server, a refusal (exit 1)', async () => {
    const io = bufferIo();
    expect(await sendCommand({ file: join(EXAMPLES, 'llm-auto-execute.json'), url: 'http://127.0.0.1:9', format: 'text' }, io)).toBe(2);
    expect(io.err[0]).toMatch(/give --source/);
    const down = bufferIo();
    expect(await sendCommand({ file: join(EXAMPLES, 'uptime-kuma/down.json'), url: 'http://127.0.0.1:9', format: 'text' }, down)).toBe(2);
    expect(down.err[0]).toMatch(/no answer from http:\/\/127\.0\.0\.1:9\/hooks\/uptime-kuma.*engine serve running/);
    const refused = bufferIo();
    const answer422: typeof fetch = async () => new Response(JSON.stringify({ code: 'INVALID_PAYLOAD', reason: 'bad' }), { status: 422, statusText: 'Unprocessable Entity' });
    expect(await sendCommand({ file: join(EXAMPLES, 'uptime-kuma/down.json'), url: 'http://x', format: 'text' }, refused, { fetch: answer422, now: () => NOW })).toBe(1);
    expect(refused.out[0]).toMatch(/^422 Unprocessable Entity\n/);
  });
});
