/** Where two JSON values first differ, and what each holds there. */
export interface Difference {
  /** A field path (`argv[2]`, `row.target`, `["rate:x"]`); '' when the roots themselves differ. */
  path: string;
  /** The values at that path; undefined where one side has no such field. */
  recorded: unknown;
  wanted: unknown;
}

type Equivalent = (recorded: unknown, wanted: unknown) => boolean;

/**
 * The first difference between two JSON values, or null when they are deep-equal. Keys are
 * visited in the order of `recorded`, then those only `wanted` has, so the path names the first
 * field a reader of the recorded value would meet. `equivalent` lets the caller accept two
 * different values as the same (a playbook version's own reference).
 */
export function firstDifference(recorded: unknown, wanted: unknown, equivalent: Equivalent = () => false): Difference | null {
  return walk(recorded, wanted, '', equivalent);
}

function walk(a: unknown, b: unknown, path: string, equivalent: Equivalent): Difference | null {
  if (Object.is(a, b) || equivalent(a, b)) return null;
  const here = { path, recorded: a, wanted: b };
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return here;
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const at = `${path}[${i}]`;
      if (i >= a.length || i >= b.length) return { path: at, recorded: a[i], wanted: b[i] };
      const d = walk(a[i], b[i], at, equivalent);
      if (d !== null) return d;
    }
    return null;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const k of [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))]) {
      // A key holding undefined is one JSON would not write: absent on one side is the same.
      if (a[k] === undefined && b[k] === undefined) continue;
      const d = walk(a[k], b[k], join(path, k), equivalent);
      if (d !== null) return d;
    }
    return null;
  }
  return here;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}
