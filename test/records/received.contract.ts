import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeCursor, listReceived, type ReceivedFilter, type ReceivedItem } from '../../runtime/records/received-feed.ts';
import type { EventRecord, Records, RefusalRecord } from '../../runtime/records/records.ts';
import { at, eventRecord, refusalRecord } from './fixtures.ts';
import type { RecordsSubject } from './records.contract.ts';

/**
 * The received side of the Records contract, run against every adapter: refused requests are
 * kept as written, and GET /events's feed (events and refusals, newest first by receivedAt, an
 * event before a refusal of the same millisecond, then latest commit first) pages with a cursor
 * through 10,000 events without losing or repeating one.
 */
/** Bounds a subject may be opened with, for the tests of what a store keeps. */
export interface RefusalBounds {
  keepRefusals?: number;
  keepUnauthenticated?: number;
}

export function receivedContract(name: string, make: (bounds?: RefusalBounds) => Promise<RecordsSubject>): void {
  describe(`Records contract, received feed: ${name}`, () => {
    let subject: RecordsSubject;
    let records: Records;

    beforeEach(async () => {
      subject = await make();
      records = subject.records;
    });
    afterEach(async () => {
      await subject.close();
    });

    /** Every page of the feed, following `next` to the end. */
    const readAll = async (filter: Omit<ReceivedFilter, 'cursor'>): Promise<{ items: ReceivedItem[]; pages: number }> => {
      const items: ReceivedItem[] = [];
      let pages = 0;
      let cursor: string | null = null;
      do {
        const decoded = cursor === null ? null : decodeCursor(cursor);
        if (decoded !== null && !decoded.ok) throw new Error(decoded.reason);
        const page = await listReceived(records, { ...filter, ...(decoded === null ? {} : { cursor: decoded.cursor }) });
        items.push(...page.items);
        pages += 1;
        cursor = page.next;
      } while (cursor !== null);
      return { items, pages };
    };
    const key = (item: ReceivedItem): string => (item.result === 'accepted' ? item.eventId : item.refusalId);

    it('bounds unauthenticated refusals (401) apart: a flood of bad tokens keeps what real senders were refused', async () => {
      const bounded = await make({ keepRefusals: 3, keepUnauthenticated: 2 });
      try {
        const r = bounded.records;
        for (let i = 1; i <= 2; i++) await r.recordRefusal(refusalRecord(`ref_bad_body_${i}`, { receivedAt: at(i) }));
        for (let i = 1; i <= 6; i++) await r.recordRefusal(refusalRecord(`ref_token_${i}`, { receivedAt: at(10 + i), status: 401, code: 'UNAUTHORIZED', excerpt: null }));
        const kept = async () => (await r.refusalsBefore({ limit: 100 })).map((p) => p.record.refusalId);
        expect(await kept()).toEqual(['ref_token_6', 'ref_token_5', 'ref_bad_body_2', 'ref_bad_body_1']);
        for (let i = 3; i <= 5; i++) await r.recordRefusal(refusalRecord(`ref_bad_body_${i}`, { receivedAt: at(20 + i) }));
        expect(await kept()).toEqual(['ref_bad_body_5', 'ref_bad_body_4', 'ref_bad_body_3', 'ref_token_6', 'ref_token_5']);
      } finally {
        await bounded.close();
      }
    });

    it('keeps a refusal exactly as written, and lists refusals newest first, by source', async () => {
      const written = refusalRecord('ref_0001', { receivedAt: at(1), excerpt: null, bodyBytes: null, path: null });
      await records.recordRefusal(written);
      await records.recordRefusal(refusalRecord('ref_0002', { receivedAt: at(2), source: 'uptime-kuma', status: 401, code: 'UNAUTHORIZED' }));
      await records.recordRefusal(refusalRecord('ref_0003', { receivedAt: at(1) }));
      const all = await records.refusalsBefore({ limit: 10 });
      expect(all.map((r) => r.record.refusalId)).toEqual(['ref_0002', 'ref_0003', 'ref_0001']);
      expect(all[2]!.record).toEqual(written);
      expect(all[2]!.position).toEqual({ receivedAt: at(1), seq: expect.any(Number) });
      expect((await records.refusalsBefore({ limit: 10, source: 'alertmanager' })).map((r) => r.record.refusalId)).toEqual(['ref_0003', 'ref_0001']);
      const before = all[1]!.position;
      expect((await records.refusalsBefore({ limit: 10, before })).map((r) => r.record.refusalId)).toEqual(['ref_0001']);
    });

    it('merges events and refusals: newest first, an event before a refusal of the same time', async () => {
      await records.commitIngest({ events: [eventRecord('evt_0001', { receivedAt: at(1) }), eventRecord('evt_0002', { receivedAt: at(2) })], runs: [] });
      await records.recordRefusal(refusalRecord('ref_0001', { receivedAt: at(2) }));
      await records.recordRefusal(refusalRecord('ref_0002', { receivedAt: at(3) }));
      const page = await listReceived(records, { limit: 10 });
      expect(page.items.map(key)).toEqual(['ref_0002', 'evt_0002', 'ref_0001', 'evt_0001']);
      expect(page.next).toBeNull();
      expect(page.items[0]).toEqual({ result: 'refused', ...refusalRecord('ref_0002', { receivedAt: at(3) }) });
      expect(page.items[1]).toEqual({ result: 'accepted', ...eventRecord('evt_0002', { receivedAt: at(2) }) });
      expect((await listReceived(records, { limit: 10, result: 'refused' })).items.map(key)).toEqual(['ref_0002', 'ref_0001']);
      expect((await listReceived(records, { limit: 10, result: 'accepted', source: 'uptime-kuma' })).items.map(key)).toEqual(['evt_0002', 'evt_0001']);
    });

    it('pages 10,000 events and 300 refusals with a cursor: each exactly once, in order, new arrivals not mixed in', async () => {
      const events: EventRecord[] = Array.from({ length: 10_000 }, (_, i) =>
        eventRecord(`evt_${String(i).padStart(5, '0')}`, { receivedAt: at(Math.floor(i / 3)), source: i % 4 === 0 ? 'alertmanager' : 'uptime-kuma' }),
      );
      for (let i = 0; i < events.length; i += 1000) await records.commitIngest({ events: events.slice(i, i + 1000), runs: [] });
      const refusals: RefusalRecord[] = Array.from({ length: 300 }, (_, i) => refusalRecord(`ref_${String(i).padStart(5, '0')}`, { receivedAt: at(i * 11) }));
      for (const r of refusals) await records.recordRefusal(r);

      // The expected order: time descending, an event before a refusal of the same time, later commit first.
      const expected = [
        ...events.map((e, i) => ({ id: e.eventId, t: e.receivedAt, kind: 1, n: i })),
        ...refusals.map((r, i) => ({ id: r.refusalId, t: r.receivedAt, kind: 0, n: i })),
      ].sort((a, b) => (a.t !== b.t ? (a.t < b.t ? 1 : -1) : a.kind !== b.kind ? b.kind - a.kind : b.n - a.n));

      const first = await listReceived(records, { limit: 500 });
      // A burst arrives after the first page: newer than everything, so it belongs before the cursor.
      await records.commitIngest({ events: [eventRecord('evt_late', { receivedAt: at(100_000) })], runs: [] });
      const rest: ReceivedItem[] = [];
      let cursor = first.next;
      let pages = 1;
      while (cursor !== null) {
        const decoded = decodeCursor(cursor);
        if (!decoded.ok) throw new Error(decoded.reason);
        const page = await listReceived(records, { limit: 500, cursor: decoded.cursor });
        expect(page.items.length).toBeLessThanOrEqual(500);
        rest.push(...page.items);
        cursor = page.next;
        pages += 1;
      }
      const ids = [...first.items, ...rest].map(key);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expected.map((e) => e.id));
      expect(pages).toBe(Math.ceil(10_300 / 500));

      const alertmanager = await readAll({ limit: 500, source: 'alertmanager', result: 'accepted' });
      expect(alertmanager.items.map(key)).toEqual(events.filter((e) => e.source === 'alertmanager').map((e) => e.eventId).reverse());
    });
  });
}
