/**
 * The known name closest to a mistyped one, for "did you mean" hints; null when nothing is
 * close enough to help (more than a third of the name would have to change).
 */
export function closestName(wanted: string, known: readonly string[]): string | null {
  if (wanted.length > 128) return null;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = distance(wanted.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(Math.max(wanted.length, 3) / 3));
  return best !== null && bestDistance <= limit && best !== wanted ? best : null;
}

/** Levenshtein distance, two rows. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
