/** One line of a benchmark report. Every bench module returns these; bench/index.ts prints them. */
export interface BenchRow {
  name: string;
  opsPerSec: number;
  note?: string;
}

/** A plain-text table, widest name first column, numbers right-aligned. */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const width = Math.max(4, ...rows.map((r) => r.name.length));
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const numWidth = Math.max(9, ...rows.map((r) => fmt(r.opsPerSec).length));
  const lines = [`${'name'.padEnd(width)}  ${'ops/sec'.padStart(numWidth)}  note`];
  for (const r of rows) lines.push(`${r.name.padEnd(width)}  ${fmt(r.opsPerSec).padStart(numWidth)}  ${r.note ?? ''}`.trimEnd());
  return lines.join('\n');
}
