/**
 * Reading untrusted JSON without surprises: own properties only (a key such as
 * `constructor` or `__proto__` never reaches a prototype), no toString calls on objects.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own property `key` of `obj`, or undefined. */
export function own(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** A non-empty string, or null for anything else (used where a field is optional). */
export function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** An identifier: a non-empty string, or an integer written in decimal. */
export function idText(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

/**
 * Follows a dotted path (`alert.labels.host`, `items.0.name`) through own properties.
 * Array elements are reached by decimal index. Undefined when any step is missing.
 */
export function atPath(root: unknown, path: string): unknown {
  let here: unknown = root;
  for (const step of path.split('.')) {
    if (Array.isArray(here)) {
      if (!/^(0|[1-9]\d{0,8})$/.test(step)) return undefined;
      here = here[Number(step)];
    } else if (isObject(here)) {
      here = own(here, step);
    } else {
      return undefined;
    }
  }
  return here;
}

/** Own enumerable entries of an object (label sources), in insertion order. */
export function ownEntries(obj: JsonObject): Array<[string, unknown]> {
  return Object.keys(obj).map((k) => [k, obj[k]]);
}

/** A short, printable rendering of an offending value for a refusal reason. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}
