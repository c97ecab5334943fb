import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../engine/expr/index.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['20m', 1_200_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['0s', 0],
    ['90m', 5_400_000],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '20', 'm', '1.5h', '30m1h', '1h1h', '1 h', ' 1h', '1h ', '-1h', '1w', '1hm', '1mss', '99999999999999999999d', 'x'.repeat(100)])(
    'refuses %j',
    (text) => expect(parseDuration(text)).toBeNull(),
  );
});
