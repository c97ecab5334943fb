import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { startProxy } from '../support/tcp-relay.ts';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GateOp } from '../../engine/ports/state-store.ts';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { openStateRedis } from '../../runtime/stores/redis/client.ts';
import { RedisStateStore } from '../../runtime/stores/redis/state-store.ts';
import { stateStoreContract } from '../ports/state-store.contract.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const START = Date.UTC(2025, 0, 15, 10, 0, 0);
/** Every key of this file lives under this prefix; each test adds its own part. */
const FILE_PREFIX = `test:redis-state:${process.pid}:${randomUUID()}:`;

let redis: Redis;
let testNumber = 0;

beforeAll(() => {
  redis = openStateRedis(REDIS_URL);
});
afterAll(async () => {
  await deleteKeys(FILE_PREFIX);
  await redis.quit();
});

function newPrefix(): string {
  return `${FILE_PREFIX}${++testNumber}:`;
}

async function deleteKeys(prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

stateStoreContract('RedisStateStore', async () => {
  const prefix = newPrefix();
  const clock = new ManualClock(START);
  return { store: new RedisStateStore({ redis, clock, prefix }), clock, close: () => deleteKeys(prefix) };
});

describe('RedisStateStore specifics', () => {
  let prefix: string;
  afterEach(async () => {
    await deleteKeys(prefix);
  });
  const make = (clock = new ManualClock(START)): RedisStateStore => {
    prefix = newPrefix();
    return new RedisStateStore({ redis, clock, prefix });
  };

  const gatePath: GateOp[] = [
    { op: 'read', key: 'maintenance:web-01', refuseOn: 'present' },
    { op: 'read', key: 'circuit:nginx', refuseOn: { except: ['"closed"'] } },
    { op: 'hit', key: 'rate:nginx', max: 3, windowMs: 3_600_000 },
    { op: 'claim', key: 'dedup:nginx:web-01', value: { run: 'run_0001' }, ttlMs: 600_000 },
  ];

  it('sends a 4-op gate path as exactly one command, the ops running inside the script', async () => {
    const store = make();
    // Client side: every command ioredis writes goes through sendCommand.
    const sent: string[] = [];
    const sendCommand = redis.sendCommand.bind(redis);
    redis.sendCommand = (command, ...rest) => {
      sent.push(command.name);
      return sendCommand(command, ...rest);
    };
    // Server side: MONITOR shows what the server executed, from clients and from Lua.
    const monitor = await redis.monitor();
    const seen: { source: string; command: string }[] = [];
    const sentinel = `${prefix}sentinel`;
    const done = new Promise<void>((resolve) => {
      monitor.on('monitor', (_time: string, args: string[], source: string) => {
        if (args[1] === sentinel) resolve();
        else if (args.some((a) => a.startsWith(prefix))) seen.push({ source, command: String(args[0]).toLowerCase() });
      });
    });
    try {
      const results = await store.applyGateOps(gatePath);
      redis.sendCommand = sendCommand;
      expect(results.map((r) => r.refused)).toEqual([false, false, false, false]);
      expect(sent).toHaveLength(1);
      expect(['eval', 'evalsha']).toContain(sent[0]);
      // The sentinel is executed after the script, so once MONITOR shows it, it has shown the rest.
      await redis.get(sentinel);
      await done;
    } finally {
      redis.sendCommand = sendCommand;
      monitor.disconnect();
    }
    const fromClients = seen.filter((s) => s.source !== 'lua');
    expect(fromClients).toHaveLength(1);
    expect(['eval', 'evalsha']).toContain(fromClients[0]?.command);
    expect(seen.filter((s) => s.source === 'lua' && s.command === 'hmget')).toHaveLength(4);
  });

  it('keeps a key live by the injected clock even when that clock is years behind Redis time', async () => {
    const store = make(new ManualClock(Date.UTC(2001, 0, 1)));
    await store.set('old', 'still here', 1000);
    expect(await store.setIfAbsent('claim', 'mine', 1000)).toBe(true);
    expect(await store.get('old')).toBe('still here');
    expect(await store.get('claim')).toBe('mine');
  });

  it('lets Redis collect an expired key: its own TTL is the logical TTL plus the grace', async () => {
    const store = new RedisStateStore({ redis, clock: new ManualClock(START), prefix: (prefix = newPrefix()), gcGraceMs: 5000 });
    await store.set('k', 'v', 1000);
    await store.hit('r', 5, 2000);
    await store.set('forever', 'v');
    const pttl = async (key: string): Promise<number> => redis.pttl(`${prefix}${key}`);
    expect(await pttl('k')).toBeGreaterThan(5000);
    expect(await pttl('k')).toBeLessThanOrEqual(6000);
    expect(await pttl('r')).toBeLessThanOrEqual(7000);
    expect(await pttl('r')).toBeGreaterThan(6000);
    expect(await pttl('forever')).toBe(-1);
  });

  it('refuses a hit on a plain value with STATE_WRONG_TYPE and writes nothing of the list', async () => {
    const store = make();
    await store.set('plain', 'text');
    await expect(
      store.applyGateOps([
        { op: 'claim', key: 'first', value: 1, ttlMs: 1000 },
        { op: 'hit', key: 'plain', max: 3, windowMs: 1000 },
      ]),
    ).rejects.toMatchObject({ code: 'STATE_WRONG_TYPE', retryable: false, message: expect.stringContaining('"plain"') });
    expect(await store.get('first')).toBeNull();
    expect(await store.get('plain')).toBe('text');
    await expect(store.hit('plain', 3, 1000)).rejects.toMatchObject({ code: 'STATE_WRONG_TYPE' });
  });

  it('refuses a hit on a key a claim of the same list just set, leaving no trace', async () => {
    const store = make();
    await expect(
      store.applyGateOps([
        { op: 'claim', key: 'k', value: 'x', ttlMs: 1000 },
        { op: 'hit', key: 'k', max: 3, windowMs: 1000 },
      ]),
    ).rejects.toMatchObject({ code: 'STATE_WRONG_TYPE' });
    expect(await store.get('k')).toBeNull();
  });

  it('exposes a rate window as its count with the window as TTL', async () => {
    const clock = new ManualClock(START);
    const store = make(clock);
    await store.hit('r', 5, 1000);
    await store.hit('r', 5, 1000);
    clock.advance(300);
    expect(await store.get('r')).toBe(2);
    expect(await store.ttl('r')).toBe(700);
  });

  it('reads a stored null like an absent value for refusals, but a claim sees the key', async () => {
    const store = make();
    await store.set('n', null, 1000);
    expect(await store.applyGateOps([{ op: 'read', key: 'n', refuseOn: 'present' }])).toEqual([
      { op: 'read', refused: false, value: null, ttlMs: 1000 },
    ]);
    expect(await store.applyGateOps([{ op: 'claim', key: 'n', value: 1, ttlMs: 1000 }])).toEqual([
      { op: 'claim', refused: true, holder: null },
    ]);
  });

  it('rejects invalid TTLs, windows, max and non-JSON values with a coded error before calling Redis', async () => {
    const store = make();
    await expect(store.set('k', 1, 0)).rejects.toMatchObject({ code: 'STATE_INVALID_TTL' });
    await expect(store.setIfAbsent('k', 1, 1.5)).rejects.toMatchObject({ code: 'STATE_INVALID_TTL' });
    await expect(store.hit('k', 1, Number.NaN)).rejects.toMatchObject({ code: 'STATE_INVALID_TTL' });
    await expect(store.hit('k', -1, 1000)).rejects.toMatchObject({ code: 'STATE_INVALID_MAX' });
    await expect(store.set('k', undefined as never)).rejects.toMatchObject({ code: 'NOT_JSON' });
    expect(await redis.exists(`${prefix}k`)).toBe(0);
  });

  it('reports a key some other client made a non-hash as STATE_WRONG_TYPE', async () => {
    const store = make();
    await redis.set(`${prefix}alien`, 'raw string');
    await expect(store.get('alien')).rejects.toMatchObject({ code: 'STATE_WRONG_TYPE' });
    await expect(store.setIfAbsent('alien', 1, 1000)).rejects.toMatchObject({ code: 'STATE_WRONG_TYPE' });
  });
});

describe('RedisStateStore when Redis is unreachable', () => {
  it('rejects every call with STATE_UNAVAILABLE (retryable) against a closed port instead of hanging', async () => {
    const port = await closedPort();
    const down = openStateRedis(`redis://127.0.0.1:${port}`);
    try {
      const store = new RedisStateStore({ redis: down, clock: new ManualClock(START), prefix: 'unused:' });
      const unavailable = { code: 'STATE_UNAVAILABLE', retryable: true };
      await Promise.all([
        expect(store.get('k')).rejects.toMatchObject(unavailable),
        expect(store.set('k', 1, 1000)).rejects.toMatchObject(unavailable),
        expect(store.setIfAbsent('k', 1, 1000)).rejects.toMatchObject(unavailable),
        expect(store.hit('k', 1, 1000)).rejects.toMatchObject(unavailable),
        expect(store.applyGateOps(gateOps())).rejects.toMatchObject(unavailable),
        expect(store.ttl('k')).rejects.toMatchObject(unavailable),
        expect(store.delete('k')).rejects.toMatchObject(unavailable),
      ]);
      // Later calls, made while the client is between reconnection attempts, fail as well.
      await expect(store.get('k')).rejects.toMatchObject(unavailable);
    } finally {
      down.disconnect();
    }
  });

  it('fails while Redis is away and serves again once it is back', async () => {
    const proxy = await startProxy(6379);
    const client = openStateRedis(`redis://127.0.0.1:${proxy.port}`);
    const prefix = newPrefix();
    try {
      const store = new RedisStateStore({ redis: client, clock: new ManualClock(START), prefix });
      await store.set('k', 'before', 60_000);
      await proxy.stop();
      await expect(store.get('k')).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE', retryable: true });
      await expect(store.applyGateOps(gateOps())).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE', retryable: true });
      const ready = new Promise((resolve) => client.once('ready', resolve));
      await proxy.start();
      await ready;
      expect(await store.get('k')).toBe('before');
      expect(await store.applyGateOps(gateOps())).toHaveLength(1);
    } finally {
      client.disconnect();
      await proxy.stop();
      await deleteKeys(prefix);
    }
  });
});

function gateOps(): GateOp[] {
  return [{ op: 'claim', key: 'dedup', value: true, ttlMs: 1000 }];
}

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
