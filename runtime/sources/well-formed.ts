import { joinPath, type PathSegment } from './json-path.ts';
import { reject, type NormalizeFailure } from './outcome.ts';

/**
 * What holds for every value of a body, whatever its source, before any field is read:
 *
 * - numbers are finite. JSON has no Infinity, but `1e309` parses as one, and an infinite count,
 *   id or time would reach the gates and the stores as `null` or `"Infinity"`.
 * - texts (keys included) hold no U+0000 and no unpaired surrogate: no store keeps them
 *   (PostgreSQL refuses both in jsonb), so accepting one would turn a bad body into a 500 that
 *   the sender retries forever.
 *
 * One iterative pass, so a deep document costs no stack. Only arrays and plain objects are
 * entered: that is all JSON.parse makes.
 */

const BAD_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function firstMalformed(body: unknown, base = ''): NormalizeFailure | null {
  const stack: Array<[unknown, PathSegment[]]> = [[body, []]];
  while (stack.length > 0) {
    const [value, segments] = stack.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        const path = joinPath(base, segments);
        return reject('NUMBER_NOT_FINITE', `${where(path)} is a number too large to represent (such as 1e309, which reads as Infinity)`, path || undefined);
      }
    } else if (typeof value === 'string') {
      if (BAD_TEXT.test(value)) return badText(joinPath(base, segments), 'holds');
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], [...segments, i]]);
    } else if (isPlain(value)) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (BAD_TEXT.test(key)) return badText(joinPath(base, [...segments, key]), 'has a key that holds');
        stack.push([value[key], [...segments, key]]);
      }
    }
  }
  return null;
}

function badText(path: string, what: string): NormalizeFailure {
  return reject('INVALID_TEXT', `${where(path)} ${what} U+0000 or an unpaired surrogate, which no record can keep`, path || undefined);
}

function where(path: string): string {
  return path === '' ? 'the body' : path;
}

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
