import { describe, expect, it } from 'vitest';
import { redact } from '../../engine/trace/redact.ts';

/** Secrets written inside free text are masked wherever a trace shows text. */
describe('redact: secrets inside text', () => {
  it.each([
    ['postgres://app:s3cr3t-pw@db.internal:5432/prod', 'postgres://app:[REDACTED]@db.internal:5432/prod'],
    ['DB_PASSWORD=hunter2 started', 'DB_PASSWORD=[REDACTED] started'],
    ['api_key: "abc123def" and more', 'api_key: [REDACTED] and more'],
    ["token='t0k3n-value'", 'token=[REDACTED]'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'Authorization: Bearer [REDACTED]'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here', 'jwt [REDACTED] here'],
    ['key AKIAIOSFODNN7EXAMPLE used', 'key [REDACTED] used'],
    ['curl -u x -H "Basic dXNlcjpwYXNzd29yZA=="', 'curl -u x -H "Basic [REDACTED]"'],
  ])('%s', (text, want) => {
    expect(redact({ message: text })).toEqual({ message: want });
  });

  it('leaves ordinary text alone, mail addresses included', () => {
    const text = 'connect ECONNREFUSED 127.0.0.1:19082; owner alice@example.org; disk 95% full';
    expect(redact(text)).toBe(text);
  });

  it('masks a value after a long run of key-like characters (RE2 matches in linear time, no backtracking)', () => {
    const text = `${'password_'.repeat(900)}=topsecret`;
    const out = redact(text) as string;
    expect(out).not.toContain('topsecret');
    expect(out.endsWith('=[REDACTED]')).toBe(true);
  });
});
