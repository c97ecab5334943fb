/** Durations as people write them in playbooks: `500ms`, `30s`, `20m`, `1h30m`, `1d`. */

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
/** Larger units first, each at most once: `1h30m` reads one way only. */
const UNIT_RANK: Record<string, number> = { d: 0, h: 1, m: 2, s: 3, ms: 4 };
const PART = /(\d+)(ms|[dhms])/y;
const MAX_TEXT = 64;

/** Milliseconds, or null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT) return null;
  let total = 0;
  let lastRank = -1;
  let offset = 0;
  while (offset < text.length) {
    PART.lastIndex = offset;
    const m = PART.exec(text);
    if (m === null) return null;
    const unit = m[2]!;
    const rank = UNIT_RANK[unit]!;
    if (rank <= lastRank) return null;
    lastRank = rank;
    total += Number(m[1]) * UNIT_MS[unit]!;
    offset = PART.lastIndex;
  }
  return Number.isSafeInteger(total) ? total : null;
}
