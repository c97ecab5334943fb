import type { RunSummary } from '../../engine/run/result.ts';

/** The trace for people: what passed, which way it went, what would run, and why. */
export function renderSummary(s: RunSummary): string {
  const lines = [`playbook ${s.playbook.name} ${s.playbook.version} (${s.playbook.hash.slice(0, 19)}…)  run ${s.runId}`];
  for (const g of s.gates) lines.push(`  gate ${g.gate.padEnd(16)} ${g.verdict.padEnd(6)} ${g.reason}`);
  lines.push(`  path      ${s.path.join(' → ') || '(none)'}`);
  lines.push(`  decision  ${s.decision ?? '(none)'}`);
  for (const c of s.commands) lines.push(`  command   ${c}`);
  for (const r of s.refusals) lines.push(`  refused   ${r.step}: ${r.code}: ${r.reason}`);
  lines.push(`  outcome   ${s.outcome}${s.reason ? ` (${s.reason})` : ''}`);
  return lines.join('\n');
}
