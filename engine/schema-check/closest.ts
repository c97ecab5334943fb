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

/** Levenshtein distance with adjacent transpositions counted as one edit (`wehn` → `when`). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const up = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(up[j]! + 1, row[j - 1]! + 1, up[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
