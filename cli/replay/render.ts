import type { Effect, EffectRequest } from '../../engine/effects/effect.ts';
import type { Divergence, ReplayResult, RunEnding } from '../../engine/run/replay.ts';

const SHOWN_CHARS = 240;

/** The replay for people: one line when nothing diverged; else the first divergence, its step, what was recorded and what is wanted now. */
export function renderReplay(runId: string, r: ReplayResult, recordedAnswers: number): string[] {
  if (r.divergence === null) return [`replay ${runId}: no divergence: ${r.effects} effects, same path, outcome ${r.outcome}`];
  return divergenceLines(runId, r.divergence, r, recordedAnswers);
}

function divergenceLines(runId: string, d: Divergence, r: ReplayResult, recordedAnswers: number): string[] {
  const head = (step: string | null, what: string) => `replay ${runId}: diverges at ${step === null ? 'the end' : `step ${step}`} (after ${d.answered} of ${recordedAnswers} recorded answers): ${what}`;
  switch (d.kind) {
    case 'unrecorded':
      return [
        head(d.step, 'the new version asks for an effect the recorded run never asked for'),
        row('recorded', d.recorded ? effect(d.recorded) : '(nothing: the recorded run asked for no more effects)'),
        row('wanted', effect(d.wanted)),
        row('path', path(r.path)),
      ];
    case 'request':
      return [
        head(d.step, `the new version asks for ${d.effectId} with another request`),
        row('field', `${d.field.path || '(the whole request)'}: ${value(d.field.recorded)} → ${value(d.field.wanted)}`),
        row('recorded', request(d.recorded)),
        row('wanted', request(d.wanted)),
        row('path', path(r.path)),
      ];
    case 'path':
      return [
        head(d.step, 'the recorded run went on at this step; the new version took another path'),
        row('recorded', d.recorded ? effect(d.recorded) : d.effectId),
        row('wanted', r.outcome === 'running' || r.outcome === 'waiting' ? `(not this effect; the new version is ${r.outcome})` : `(nothing: the new version ended ${r.outcome}${r.decision ? `, decision ${r.decision}` : ''})`),
        row('path', path(d.path)),
      ];
    case 'end':
      return [head(null, `the runs end differently (${d.fields.join(', ')})`), row('recorded', ending(d.recorded)), row('wanted', ending(d.replayed))];
  }
}

function row(label: string, text: string): string {
  return `  ${label.padEnd(9)} ${text}`;
}

function effect(e: Effect): string {
  return `${e.id} ${request(e.request)}`;
}

/** One line per request: its kind, then its fields, cut (an LLM prompt runs to pages). */
function request(r: EffectRequest): string {
  const { kind, ...rest } = r;
  return `${kind} ${clip(JSON.stringify(rest))}`;
}

function value(v: unknown): string {
  return v === undefined ? '(absent)' : clip(JSON.stringify(v));
}

function ending(e: RunEnding): string {
  return `outcome ${e.outcome}, decision ${e.decision ?? '(none)'}, path ${path(e.path)}`;
}

function path(p: readonly string[]): string {
  return p.join(' → ') || '(none)';
}

function clip(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}
