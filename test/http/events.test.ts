import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors.ts';
import { buildSourceTable } from '../../runtime/http/source-table.ts';
import { EXCERPT_BYTES } from '../../runtime/records/records.ts';
import { example, exampleText } from '../sources/examples.ts';
import { answer, errorOf, postJson, request, startTestServer, type TestServer } from './harness.ts';

/**
 * GET /events lists refused webhook requests beside the events: source, time, status, code,
 * reason, path and a short, redacted excerpt of the body, paged with a cursor. Keeping a refusal
 * never changes the answer the sender gets.
 */

let t: TestServer;
afterEach(async () => t.close());

const TOKEN = 'the-alertmanager-bearer-token';
const withLabel = (label: string): string => exampleText('alertmanager/firing.json').replace('"service": "nginx"', `"service": "nginx", ${label}`);
const events = async (query = '') => answer(await request(`${t.url}/events${query}`), 'events');

describe('refused requests in GET /events', () => {
  beforeEach(async () => {
    const table = buildSourceTable([{ name: 'alertmanager', normalizer: 'alertmanager', auth: { bearer: TOKEN } }]);
    if (!table.ok) throw new Error(JSON.stringify(table.errors));
    t = await startTestServer({ sources: table.table });
  });

  it('are listed with source, time, status, code, reason, path and a redacted excerpt', async () => {
    const body = withLabel('"password": "hunter2-in-a-label", "cmd": "x\\ny", "note": "token the-alertmanager-bearer-token"');
    const reply = await postJson(`${t.url}/hooks/alertmanager`, body, { authorization: `Bearer ${TOKEN}` });
    expect(reply.status).toBe(422);
    const [refused] = (await events()).events;
    expect(refused).toEqual({
      result: 'refused',
      refusalId: expect.stringMatching(/^ref_/),
      source: 'alertmanager',
      receivedAt: '2026-11-21T23:15:00.000Z',
      status: 422,
      code: 'CONTROL_CHARACTER',
      reason: 'alerts[0].labels.cmd contains the control character U+000A, which a name cannot hold',
      path: 'alerts[0].labels.cmd',
      excerpt: expect.stringContaining('"alerts":[{"status":"firing"'),
      bodyBytes: Buffer.byteLength(body),
      requestId: reply.headers.get('x-request-id'),
    });
    expect(refused!.excerpt).toContain('"password":"[REDACTED]"');
    expect(JSON.stringify(await events())).not.toMatch(/hunter2|the-alertmanager-bearer-token/);
  });

  it('keep at most 2 KiB of the body, and mask secrets in a body that is not JSON', async () => {
    const big = withLabel(`"description": "${'d'.repeat(10_000)}", "bad": 7`);
    expect((await postJson(`${t.url}/hooks/alertmanager`, big, { authorization: `Bearer ${TOKEN}` })).status).toBe(422);
    const broken = `{"password": "hunter2-in-a-broken-body", "alerts": [`;
    expect((await postJson(`${t.url}/hooks/alertmanager`, broken, { authorization: `Bearer ${TOKEN}` })).status).toBe(400);
    const [json, large] = (await events()).events;
    expect(Buffer.byteLength(large!.excerpt!)).toBeLessThanOrEqual(EXCERPT_BYTES);
    expect(large!.excerpt!.endsWith('…')).toBe(true);
    expect(large).toMatchObject({ code: 'BAD_FIELD', path: 'alerts[0].labels.bad', bodyBytes: Buffer.byteLength(big) });
    expect(json).toMatchObject({ status: 400, code: 'INVALID_JSON', excerpt: '{"password": "[REDACTED]", "alerts": [' });
  });

  it('keep no excerpt of a body whose sender is not authenticated', async () => {
    const reply = await postJson(`${t.url}/hooks/alertmanager`, exampleText('alertmanager/firing.json'), { authorization: 'Bearer wrong' });
    expect(reply.status).toBe(401);
    const media = await request(`${t.url}/hooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${TOKEN}` }, body: 'x' });
    expect(media.status).toBe(415);
    expect((await events()).events).toEqual([
      expect.objectContaining({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', path: 'headers.content-type', excerpt: null, bodyBytes: null }),
      expect.objectContaining({ status: 401, code: 'UNAUTHORIZED', reason: 'the bearer token is not valid', excerpt: null, bodyBytes: null }),
    ]);
  });

  it('never turn the 4xx into a 5xx when they cannot be kept', async () => {
    t.records.recordRefusal = async () => {
      throw new EngineError('RECORDS_UNAVAILABLE', 'the disk is full', { retryable: true });
    };
    const reply = await postJson(`${t.url}/hooks/alertmanager`, withLabel('"x": 1'), { authorization: `Bearer ${TOKEN}` });
    expect(reply.status).toBe(422);
    expect(errorOf(reply)).toMatchObject({ code: 'BAD_FIELD', path: 'alerts[0].labels.x' });
    expect(t.logs.some((l) => l['level'] === 40 && String(l['msg']).includes('not kept'))).toBe(true);
  });

  it('page with a cursor, filter by result, and refuse a cursor they did not give', async () => {
    for (let i = 0; i < 7; i++) {
      t.clock.advance(1000);
      await postJson(`${t.url}/hooks/alertmanager`, withLabel(`"n": ${i}`), { authorization: `Bearer ${TOKEN}` });
    }
    const seen: string[] = [];
    let query = '?limit=3';
    let pages = 0;
    for (;;) {
      const page = await events(query);
      pages += 1;
      seen.push(...page.events.map((e) => e.receivedAt!));
      if (page.next === null) break;
      query = `?limit=3&cursor=${page.next}`;
    }
    expect(pages).toBe(3);
    const times = [7, 6, 5, 4, 3, 2, 1].map((s) => new Date(Date.parse('2026-11-21T23:15:00.000Z') + s * 1000).toISOString());
    expect(seen).toEqual(times);
    expect((await events('?result=refused&limit=500')).events).toHaveLength(7);
    expect((await events('?result=accepted')).events).toEqual([]);
    const bad = await request(`${t.url}/events?cursor=not-a-cursor`);
    expect(bad.status).toBe(400);
    expect(errorOf(bad)).toMatchObject({ code: 'BAD_QUERY', parameter: 'cursor' });
  });
});

describe('an unknown source', () => {
  beforeEach(async () => {
    t = await startTestServer();
  });

  it('is answered 404 and not kept: its name is anyone\'s', async () => {
    expect((await postJson(`${t.url}/hooks/wp-login`, example('alertmanager/firing.json'))).status).toBe(404);
    expect((await events()).events).toEqual([]);
  });
});
