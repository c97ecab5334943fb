import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../runtime/records/journal.ts';
import type { Records } from '../../runtime/records/records.ts';
import { at } from './fixtures.ts';

export interface JournalSubject {
  records: Records;
  /** The journal table as raw SQL names it (schema-qualified on PostgreSQL). */
  table: string;
  /** Runs one raw statement on the store's database, around the Records API; rejects as the driver does. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The run journal side of the Records contract, run against every adapter:
 *
 * - `appendJournal` is all or nothing: an entry whose (runId, seq) is stored fails the whole batch
 *   with JOURNAL_CONFLICT, a run's first entry that does not follow its last stored one with
 *   JOURNAL_GAP, a malformed entry with JOURNAL_INVALID; nothing of a refused batch is written.
 * - `readJournal` gives one run's entries in seq order, bodies as JSON values equal to (and
 *   serializing to the same text as) what was appended; times and effect ids as given.
 * - `journalBytes` is the UTF-8 size of the bodies' JSON text.
 * - The database itself refuses UPDATE and DELETE on the journal (JOURNAL_APPEND_ONLY).
 */
export function journalContract(name: string, make: () => Promise<JournalSubject>): void {
  describe(`Records contract, run journal: ${name}`, () => {
    let subject: JournalSubject;
    let records: Records;

    beforeEach(async () => {
      subject = await make();
      records = subject.records;
    });
    afterEach(async () => {
      await subject.close();
    });

    it('reads a run back in seq order, across batches, exactly as appended', async () => {
      const run = lifecycle('run_0001');
      await records.appendJournal(run.slice(0, 1));
      await records.appendJournal(run.slice(1, 4));
      await records.appendJournal(run.slice(4));
      expect(await records.readJournal('run_0001')).toEqual(run);
    });

    it('reads an unknown run as an empty journal of 0 bytes, and accepts an empty batch', async () => {
      await records.appendJournal([]);
      expect(await records.readJournal('run_none')).toEqual([]);
      expect(await records.journalBytes('run_none')).toBe(0);
    });

    it('keeps two runs apart, even when their entries are appended interleaved in one batch', async () => {
      const a = lifecycle('run_000a');
      const b = lifecycle('run_000b', { service: 'postgres' });
      await records.appendJournal([a[0]!, b[0]!, a[1]!, b[1]!]);
      await records.appendJournal([...b.slice(2), ...a.slice(2)]);
      expect(await records.readJournal('run_000a')).toEqual(a);
      expect(await records.readJournal('run_000b')).toEqual(b);
      // A run id that is a prefix of another selects only its own entries.
      await records.appendJournal([entry('run_000', 1, 'start', null, {})]);
      expect(await records.readJournal('run_000')).toHaveLength(1);
    });

    it('refuses a batch with an entry already journaled: JOURNAL_CONFLICT, nothing of the batch written', async () => {
      const run = lifecycle('run_0001');
      await records.appendJournal(run.slice(0, 2));
      const before = await records.journalBytes('run_0001');
      // Another run's entry comes first in the batch: it is not written either.
      const batch = [entry('run_0002', 1, 'start', null, {}), { ...run[1]!, body: { other: 'process' } }, run[2]!];
      await expect(records.appendJournal(batch)).rejects.toMatchObject({ code: 'JOURNAL_CONFLICT', retryable: false });
      expect(await records.readJournal('run_0001')).toEqual(run.slice(0, 2));
      expect(await records.readJournal('run_0002')).toEqual([]);
      expect(await records.journalBytes('run_0001')).toBe(before);
      // The journal moves on from where it was.
      await records.appendJournal(run.slice(2));
      expect(await records.readJournal('run_0001')).toEqual(run);
    });

    it('lets one of two appends of the same next entry win (two processes advancing one run)', async () => {
      await records.appendJournal([entry('run_0001', 1, 'start', null, {})]);
      const mine = entry('run_0001', 2, 'effect', 'run_0001/restart/1/1', { by: 'me' });
      const theirs = entry('run_0001', 2, 'effect', 'run_0001/restart/1/1', { by: 'them' });
      const outcomes = await Promise.allSettled([records.appendJournal([mine]), records.appendJournal([theirs])]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason)).toEqual([
        expect.objectContaining({ code: 'JOURNAL_CONFLICT' }),
      ]);
      expect(await records.readJournal('run_0001')).toHaveLength(2);
    });

    it('refuses a gap after the stored journal with JOURNAL_GAP, writing nothing', async () => {
      await records.appendJournal([entry('run_0001', 1, 'start', null, {})]);
      await expect(records.appendJournal([entry('run_0001', 3, 'end', null, {})])).rejects.toMatchObject({ code: 'JOURNAL_GAP' });
      await expect(records.appendJournal([entry('run_0002', 2, 'start', null, {})])).rejects.toMatchObject({ code: 'JOURNAL_GAP' });
      expect(await records.readJournal('run_0001')).toHaveLength(1);
      expect(await records.readJournal('run_0002')).toEqual([]);
    });

    it.each([
      ['seq 0', entry('run_0001', 0, 'start', null, {})],
      ['a fractional seq', entry('run_0001', 1.5, 'start', null, {})],
      ['an unknown kind', { ...entry('run_0001', 1, 'start', null, {}), kind: 'restart' as JournalEntry['kind'] }],
      ['an effect entry without effect id', entry('run_0001', 1, 'effect', null, {})],
      ['a start entry with an effect id', entry('run_0001', 1, 'start', 'run_0001/x/1/1', {})],
      ['an empty run id', entry('', 1, 'start', null, {})],
      ['a time that is not one', { ...entry('run_0001', 1, 'start', null, {}), at: 'yesterday' }],
      ['an undefined body', entry('run_0001', 1, 'start', null, undefined)],
      ['NaN in the body', entry('run_0001', 1, 'start', null, { score: Number.NaN })],
      ['undefined in the body', entry('run_0001', 1, 'start', null, { a: undefined })],
      ['a Date in the body', entry('run_0001', 1, 'start', null, { when: new Date(0) })],
      ['a bigint in the body', entry('run_0001', 1, 'start', null, { n: 1n })],
    ])('refuses %s with JOURNAL_INVALID, writing nothing of the batch', async (_what, bad) => {
      const good = entry('run_0009', 1, 'start', null, {});
      await expect(records.appendJournal([good, bad])).rejects.toMatchObject({ code: 'JOURNAL_INVALID' });
      expect(await records.readJournal('run_0009')).toEqual([]);
    });

    it('refuses a batch whose entries for one run are not contiguous, and a cyclic body', async () => {
      const gapped = [entry('run_0001', 1, 'start', null, {}), entry('run_0001', 3, 'end', null, {})];
      await expect(records.appendJournal(gapped)).rejects.toMatchObject({ code: 'JOURNAL_INVALID' });
      const doubled = [entry('run_0001', 1, 'start', null, {}), entry('run_0001', 1, 'start', null, {})];
      await expect(records.appendJournal(doubled)).rejects.toMatchObject({ code: 'JOURNAL_INVALID' });
      const cycle: Record<string, unknown> = {};
      cycle['self'] = cycle;
      await expect(records.appendJournal([entry('run_0001', 1, 'start', null, cycle)])).rejects.toMatchObject({ code: 'JOURNAL_INVALID' });
      expect(await records.readJournal('run_0001')).toEqual([]);
    });

    it('round-trips JSON bodies exactly: nesting, key order, unicode, numbers', async () => {
      const bodies: unknown[] = [
        null,
        true,
        0,
        'a bare string',
        [],
        {},
        { z: 1, a: 2, m: { y: [3, { b: null, a: false }], x: [] } },
        { text: 'café ☕ 日本語 עברית 🦄 e\u0301', controls: 'nul \u0000 tab \t nl \n ls \u2028', quote: '"\'\\/', lone: '\ud800' },
        { ints: [-1, 42, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER], floats: [0.1, 1.5, -2.25e-8, 1e21, 5e-324, 1.7976931348623157e308] },
        { deep: nest(50) },
        { __proto__key: 'x', constructor: 'y', ['__proto__']: 'own' },
      ];
      const entries = bodies.map((body, i) => entry('run_0001', i + 1, i === 0 ? 'start' : 'decision', null, body));
      await records.appendJournal(entries);
      const read = await records.readJournal('run_0001');
      expect(read).toEqual(entries);
      expect(read.map((e) => JSON.stringify(e.body))).toEqual(bodies.map((b) => JSON.stringify(b)));
    });

    it('keeps times and effect ids as given', async () => {
      const odd = [
        { ...entry('run_0001', 1, 'start', null, {}), at: '2025-01-15T11:00:00.123+01:00' },
        entry('run_0001', 2, 'effect', 'run_0001/restart/1/3', {}),
        entry('run_0001', 3, 'result', 'run_0001/restart/1/3', {}),
        { ...entry('run_0001', 4, 'timer', null, {}), at: '2025-01-15T10:00:00Z' },
      ];
      await records.appendJournal(odd);
      expect(await records.readJournal('run_0001')).toEqual(odd);
    });

    it('counts journalBytes as the UTF-8 size of the bodies as stored, per run', async () => {
      const run = lifecycle('run_0001');
      await records.appendJournal(run);
      await records.appendJournal([entry('run_0002', 1, 'start', null, { big: 'x'.repeat(10_000) })]);
      const expected = run.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e.body), 'utf8'), 0);
      expect(await records.journalBytes('run_0001')).toBe(expected);
      expect(await records.journalBytes('run_0002')).toBe(Buffer.byteLength(JSON.stringify({ big: 'x'.repeat(10_000) })));
    });

    it('is append-only in the database itself: UPDATE and DELETE are refused', async () => {
      const run = lifecycle('run_0001');
      await records.appendJournal(run);
      for (const sql of [
        `UPDATE ${subject.table} SET body = '{}' WHERE run_id = 'run_0001'`,
        `UPDATE ${subject.table} SET seq = seq + 100`,
        `DELETE FROM ${subject.table} WHERE run_id = 'run_0001' AND seq = 1`,
        `DELETE FROM ${subject.table}`,
      ]) {
        await expect(subject.exec(sql), sql).rejects.toThrow(/JOURNAL_APPEND_ONLY/);
      }
      expect(await records.readJournal('run_0001')).toEqual(run);
    });
  });
}

function entry(runId: string, seq: number, kind: JournalEntry['kind'], effectId: string | null, body: unknown): JournalEntry {
  return { runId, seq, kind, effectId, at: at(seq), body };
}

/** A whole run as a durable runner would journal it: start, an effect and its result, an approval, a timer, the end. */
function lifecycle(runId: string, over: { service?: string } = {}): JournalEntry[] {
  const service = over.service ?? 'nginx';
  const effect = `${runId}/restart/1/3`;
  return [
    entry(runId, 1, 'start', null, { event: { kind: 'down', service, host: 'web-01' }, admission: [{ gate: 'dedup', verdict: 'pass' }] }),
    entry(runId, 2, 'effect', effect, { type: 'intent.run', intent: 'restart_service', target: service, argv: ['systemctl', 'restart', '--', service] }),
    entry(runId, 3, 'result', effect, { ok: true, exitCode: 0, stdout: '', stderr: '', durationMs: 812 }),
    entry(runId, 4, 'decision', null, { approved: true, by: 'ops@example.org' }),
    entry(runId, 5, 'timer', null, { timer: 'verify', firedAt: at(65) }),
    entry(runId, 6, 'end', null, { outcome: 'succeeded' }),
  ];
}

function nest(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { level: i, value } : [i, value];
  return value;
}
