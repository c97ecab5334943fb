/**
 * The supervisor events the run benches feed: the captured Uptime Kuma DOWN alert (the one the
 * dry-run bench uses), with the scripted model answers that take each main path. Plain JSON, so
 * the child script timing the old interpreter feeds the very same event and answers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeBody } from '../../cli/testing/normalize.ts';

export interface SupervisorCase {
  /** The path's decision, which every timed run checks (a run that took another path would not count). */
  decision: 'AUTO_EXECUTE' | 'ESCALATE_N2' | 'HUMAN_REVIEW';
  outcome: 'succeeded' | 'escalated' | 'waiting';
  event: Record<string, unknown>;
  llm: Record<string, unknown>;
  /** The scripted world's start: the alert's own time, so the stale gate passes. */
  now: string;
}

const ROOT = join(import.meta.dirname, '../..');

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;
}

/** AUTO_EXECUTE (the dry-run bench's event), ESCALATE_N2 (the validator disagrees), HUMAN_REVIEW (it partly agrees: the run waits). */
export function supervisorCases(): Record<SupervisorCase['decision'], SupervisorCase> {
  const [event] = normalizeBody(readJson('examples/uptime-kuma/down.json'), 'uptime-kuma');
  if (!event) throw new Error('the Uptime Kuma sample gave no event');
  const llm = readJson('examples/llm-auto-execute.json');
  const now = event['at'] as string;
  const validator = (agreement: string, objections: string[]) => ({ ...llm, validator: { agreement, score: 0.7, objections } });
  return {
    AUTO_EXECUTE: { decision: 'AUTO_EXECUTE', outcome: 'succeeded', event, llm, now },
    ESCALATE_N2: { decision: 'ESCALATE_N2', outcome: 'escalated', event, llm: validator('DISAGREE', ['this is a network outage']), now },
    HUMAN_REVIEW: { decision: 'HUMAN_REVIEW', outcome: 'waiting', event, llm: validator('PARTIAL', ['disk is full, restart will not help']), now },
  };
}
