/** "Did you mean" suggestions: the candidate with the smallest edit distance, if close enough. */

/** Edits (insert, delete, substitute, swap two neighbours) turning a into b. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      // A swapped pair ("evnet" → "event") is one slip, not two.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      cur.push(d);
    }
    before = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Closest candidate within max(1, a third of the name's length) edits, ties broken alphabetically. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of [...candidates].sort()) {
    if (Math.abs(c.length - name.length) > limit) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** A hint naming the closest candidate, or listing a few known ones when none is close. */
export function suggestion(name: string, candidates: Iterable<string>, what: string): string | undefined {
  const list = [...candidates];
  const best = closestName(name, list);
  if (best !== undefined) return `did you mean '${best}'?`;
  if (list.length === 0) return undefined;
  const shown = list.sort().slice(0, 8).map((c) => `'${c}'`).join(', ');
  return `known ${what}: ${shown}${list.length > 8 ? ', ...' : ''}`;
}
