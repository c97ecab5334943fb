import { editDistance } from '../expr/closest.ts';

/**
 * The allowed name closest to a mistyped one, for "did you mean" messages; null when nothing
 * is close enough to help (more than a third of the name would have to change).
 */
export function closestName(wanted: string, known: Iterable<string>): string | null {
  if (wanted.length > 128) return null;
  const target = wanted.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = editDistance(target, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(Math.max(wanted.length, 3) / 3));
  return best !== null && bestDistance <= limit && best !== wanted ? best : null;
}
