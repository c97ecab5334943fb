import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/observability/logger.ts';

function capture(): { lines: Record<string, any>[]; destination: Writable } {
  const lines: Record<string, any>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines at the level asked', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'warn', destination });
    log.info('not written');
    log.warn({ source: 'uptime-kuma' }, 'written');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'written', source: 'uptime-kuma', service: 'engine' });
  });

  it('redacts authorization headers and secrets', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination });
    log.info({ req: { headers: { authorization: 'Bearer s3cret', cookie: 'sid=1', host: 'x' } } }, 'request');
    log.info({ request: { headers: { authorization: 'Bearer s3cret' } }, auth: { token: 'tok', secret: 'sec' } }, 'nested');
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/s3cret|sid=1|"tok"|"sec"/);
    expect(lines[0]!.req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]', host: 'x' });
  });

  it('refuses an unknown level with a clear error', () => {
    expect(() => createLogger({ level: 'verbose' })).toThrow(/log level "verbose" is not one of/);
  });
});
