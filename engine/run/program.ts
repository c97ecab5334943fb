import type { CompiledExpr } from '../expr/index.ts';
import type { IntentCatalog } from '../intents/model.ts';
import { EMPTY_TOOL_CATALOG, type ToolCatalog } from '../tools/model.ts';
import type { Playbook, Step } from '../playbook/model.ts';
import type { StepExecutor } from '../steps/executor.ts';

/** A sequence of steps and where each of its step ids sits, for jumps that stay inside it. */
interface Block {
  steps: readonly Step[];
  positions: ReadonlyMap<string, number>;
}

/** Everything `advance` needs besides the state: the compiled playbook and the engine's tables. Immutable. */
export interface Program {
  playbook: Playbook;
  catalog: IntentCatalog;
  /** The tools tool.call may call (empty: none). */
  tools: ToolCatalog;
  prompts: ReadonlyMap<string, CompiledExpr>;
  executors: ReadonlyMap<string, StepExecutor<never>>;
  /** Guard against `next:` loops: at most this many steps entered per run. */
  maxSteps: number;
  /** Values masked wherever they appear in the trace. */
  secrets: readonly string[];
  /** Blocks by owner step id ('' for the top level). */
  blocks: ReadonlyMap<string, Block>;
  steps: ReadonlyMap<string, Step>;
}

export interface ProgramOptions {
  catalog: IntentCatalog;
  /** Absent: no tool catalog, tool.call refuses every tool. */
  tools?: ToolCatalog;
  prompts: ReadonlyMap<string, CompiledExpr>;
  executors: ReadonlyMap<string, StepExecutor<never>>;
  maxSteps?: number;
  secrets?: readonly string[];
}

const indexes = new WeakMap<Playbook, Pick<Program, 'blocks' | 'steps'>>();

export function compileProgram(playbook: Playbook, options: ProgramOptions): Program {
  let index = indexes.get(playbook);
  if (!index) {
    index = indexPlaybook(playbook);
    indexes.set(playbook, index);
  }
  return {
    playbook,
    catalog: options.catalog,
    tools: options.tools ?? EMPTY_TOOL_CATALOG,
    prompts: options.prompts,
    executors: options.executors,
    // A guard against next: loops, not a budget: a batch of 50 tickets at 10 steps each is 500.
    maxSteps: options.maxSteps ?? 10_000,
    secrets: options.secrets ?? [],
    ...index,
  };
}

/** Step ids are unique in a playbook (lint checks it), so a step and its body are found by id. */
function indexPlaybook(playbook: Playbook): Pick<Program, 'blocks' | 'steps'> {
  const blocks = new Map<string, Block>();
  const steps = new Map<string, Step>();
  const addBlock = (owner: string, list: readonly Step[]) => {
    blocks.set(owner, { steps: list, positions: new Map(list.map((s, i) => [s.id, i] as const)) });
    list.forEach(visit);
  };
  const visit = (step: Step) => {
    steps.set(step.id, step);
    if (step.kind === 'parallel') step.branches.forEach(visit);
    else if (step.kind === 'for_each' || step.kind === 'group') addBlock(step.id, step.steps);
  };
  addBlock('', playbook.steps);
  return { blocks, steps };
}
