/**
 * The path of a field in a refusal, written as people read it and as the normalizers always
 * have: `alerts[0].labels.service`, `heartbeat.status`. A key that is not a plain name is quoted
 * (`labels["a.b"]`, `labels["x\u0000"]`), so a hostile key can neither fake another path nor put
 * a control character in the answer.
 */

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
/** A quoted key is cut to this many characters: the path must stay readable and bounded. */
const MAX_KEY = 64;

/** `base` followed by `segments`; `base` is already a path (the field a sub-document came from). */
export function joinPath(base: string, segments: readonly PathSegment[]): string {
  let path = base;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (PLAIN_KEY.test(segment) && segment.length <= MAX_KEY) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment.length > MAX_KEY ? `${segment.slice(0, MAX_KEY)}…` : segment)}]`;
  }
  return path;
}

/**
 * The segments of a JSON Pointer (Ajv's instancePath) into `root`: a step into an array is an
 * index, a step into an object a key, so `/alerts/0` reads `alerts[0]` and `/labels/0` `labels["0"]`.
 */
export function pointerSegments(root: unknown, pointer: string): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let here: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(here)) {
      const index = Number(key);
      segments.push(index);
      here = here[index];
    } else {
      segments.push(key);
      here = typeof here === 'object' && here !== null && Object.hasOwn(here, key) ? (here as Record<string, unknown>)[key] : undefined;
    }
  }
  return segments;
}
