import type { RunSummary } from '../../engine/run/result.ts';

const PROMPT_PREVIEW = 240;

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}… (--format json shows it all)` : flat;
}

/** The trace for people: what passed, which way it went, what would run, and why. */
export function renderSummary(s: RunSummary): string {
  const lines = [`playbook ${s.playbook.name} ${s.playbook.version} (${s.playbook.hash.slice(0, 19)}…)  run ${s.runId}`];
  for (const g of s.gates) lines.push(`  gate ${g.gate.padEnd(16)} ${g.verdict.padEnd(6)} ${g.reason}`);
  lines.push(`  path      ${s.path.join(' → ') || '(none)'}`);
  lines.push(`  decision  ${s.decision ?? '(none)'}`);
  for (const e of s.trace) {
    // What reached each model (redacted as the whole trace is), and each tool call with its arguments (secrets masked).
    if (e.type === 'llm') lines.push(`  llm       ${e.step} (${e.role}, ${e.model}, ${e.promptChars} chars): ${oneLine(e.prompt ?? '', PROMPT_PREVIEW)}`);
    if (e.type === 'step.start' && e.use === 'tool.call') {
      const input = (e.input ?? {}) as { name?: unknown; args?: unknown };
      lines.push(`  tool      ${e.step}: ${String(input.name)} ${JSON.stringify(input.args ?? {})}`);
    }
  }
  for (const c of s.commands) lines.push(`  command   ${c}`);
  for (const r of s.refusals) lines.push(`  refused   ${r.step}: ${r.code}: ${r.reason}`);
  lines.push(`  outcome   ${s.outcome}${s.reason ? ` (${s.reason})` : ''}`);
  return lines.join('\n');
}
