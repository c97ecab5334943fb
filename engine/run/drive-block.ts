import { EngineError } from '../errors.ts';
import { END } from '../playbook/model.ts';
import { driveStep, enterStep } from './drive-step.ts';
import type { BlockNode, StepOutcome } from './machine.ts';
import type { Frame, Turn } from './turn.ts';

/** The errors `on_timeout:` catches: no answer in time, from a port or from people. */
const TIMEOUTS = new Set(['STEP_TIMEOUT', 'APPROVAL_EXPIRED']);

export function newBlock(owner: string, locals: Record<string, unknown> | null): BlockNode {
  return { kind: 'block', owner, index: 0, current: null, locals };
}

/**
 * Runs a sequence of steps with its jumps (`next:`, switch cases, `on_error:`), which stay inside
 * it; `end` ends the sequence. Returns how it ended, or null while a step waits for effects.
 * The top-level sequence falls back to the playbook's `on_error:`.
 */
export function driveBlock(t: Turn, block: BlockNode, frame: Frame): StepOutcome | null {
  const { steps, positions } = t.program.blocks.get(block.owner)!;
  for (;;) {
    let outcome: StepOutcome;
    if (block.current === null) {
      if (block.index >= steps.length) return { kind: 'ran' };
      const entered = enterStep(t, steps[block.index]!, frame);
      if (!('done' in entered)) {
        block.current = entered;
        continue;
      }
      outcome = entered.done;
    } else {
      const o = driveStep(t, block.current, frame);
      if (o === null) return null;
      outcome = o;
      block.current = null;
    }
    const step = steps[block.index]!;
    let jump: string | null = null;
    let via: 'next' | 'switch' | 'on_error' | 'on_timeout' = 'next';
    if (outcome.kind === 'error') {
      const timedOut = step.onTimeout !== null && TIMEOUTS.has(outcome.error.code);
      const route = timedOut ? step.onTimeout : (step.onError ?? (block.owner === '' ? t.program.playbook.onError : null));
      if (route === null || route === step.id) return outcome;
      t.target(frame)['error'] = outcome.error;
      jump = route;
      via = timedOut ? 'on_timeout' : 'on_error';
    } else if (outcome.kind === 'jump') {
      jump = outcome.to;
      via = 'switch';
    } else if (outcome.kind === 'ran' && step.next !== null) {
      jump = step.next;
    }
    if (jump === null) {
      block.index += 1;
      continue;
    }
    t.record({ type: 'route', from: step.id, to: jump, via });
    if (jump === END) return { kind: 'ran' };
    const to = positions.get(jump);
    if (to === undefined) throw new EngineError('STEP_UNKNOWN_REF', `${step.id} routes to unknown step ${jump}`);
    block.index = to;
  }
}
