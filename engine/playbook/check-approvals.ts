import { lookupIntent, type IntentCatalog } from '../intents/model.ts';
import { lookupTool } from '../tools/model.ts';
import type { PlaybookDocument, StepDocument } from '../../schemas/playbook.ts';
import type { CompileContext } from './compile-context.ts';
import { END } from './model.ts';

type Path = (string | number)[];

/**
 * The approvals every path to a point has passed: literal intents, and `any` once an
 * approval.request with an expression intent was passed (it may be for any intent).
 */
interface Approvals {
  any: boolean;
  intents: ReadonlySet<string>;
}

const NONE: Approvals = { any: false, intents: new Set() };

/**
 * APPROVAL_MISSING (a warning): a `use: intent.run` step whose literal intent requires approval,
 * or a `use: tool.call` step whose literal tool is L3, that some path reaches without passing an
 * approval.request for that intent or tool. The engine refuses such a run at run time; lint says
 * so when it is written.
 *
 * A must-analysis over the paths the run loop can take (engine/run/drive-block.ts): the states of
 * a sequence's steps are met (intersected) over fall-through, `next:`, switch cases and defaults,
 * `on_error:` routes (the step's, then the playbook's at the top level) and `end`, until nothing
 * changes. It over-approximates, so it warns when in doubt: any step may fail (its error route
 * carries the approvals from before it), a step with `when:` may be skipped, an approval.request
 * with `when:` guarantees nothing, a for_each body may run zero times, and parallel branches run
 * side by side, so one branch's approval does not cover another branch.
 */
export function checkApprovals(ctx: CompileContext, pb: PlaybookDocument): void {
  const catalog = ctx.caps.catalog;
  if (!catalog || !Array.isArray(pb.steps)) return;
  new ApprovalFlow(ctx, catalog, pb.on_error ?? null).sequence(pb.steps, ['steps'], NONE, true, true);
}

class ApprovalFlow {
  constructor(
    private readonly ctx: CompileContext,
    private readonly catalog: IntentCatalog,
    private readonly playbookOnError: string | null,
  ) {}

  /**
   * The approvals at the normal end of a sequence entered with `entry`; null when it never ends
   * normally. `report`: check the intent.run steps against the final states (once, after the fixpoint).
   */
  sequence(docs: readonly StepDocument[], at: Path, entry: Approvals, top: boolean, report: boolean): Approvals | null {
    const positions = new Map(docs.map((d, i) => [d.id, i] as const));
    const states: (Approvals | null)[] = docs.map(() => null);
    let exit: Approvals | null = docs.length === 0 ? entry : null;
    if (docs.length > 0) states[0] = entry;
    const flow = (to: number | string | null, s: Approvals): boolean => {
      const index = typeof to === 'number' ? to : to === END ? docs.length : to === null ? undefined : positions.get(to);
      if (index === undefined) return false; // a jump nowhere: already an error of its own
      if (index >= docs.length) {
        const met = meet(exit, s);
        const changed = !same(exit, met);
        exit = met;
        return changed;
      }
      const met = meet(states[index] ?? null, s);
      const changed = !same(states[index] ?? null, met);
      states[index] = met;
      return changed;
    };
    for (let changed = true; changed; ) {
      changed = false;
      docs.forEach((doc, i) => {
        const s = states[i];
        if (!s) return;
        for (const [to, state] of this.#edges(doc, [...at, i], i, s, top)) changed = flow(to, state) || changed;
      });
    }
    if (report) {
      docs.forEach((doc, i) => {
        const s = states[i];
        if (s) this.#ran(doc, [...at, i], s, true); // a step no path reaches never runs
      });
    }
    return exit;
  }

  /** Where a step entered with `s` can go next, with the approvals passed on each way. */
  #edges(doc: StepDocument, path: Path, i: number, s: Approvals, top: boolean): [number | string | null, Approvals][] {
    const edges: [number | string | null, Approvals][] = [];
    if (doc.when !== undefined) edges.push([i + 1, s]); // skipped: on to the next step, not next:
    const done = this.#ran(doc, path, s, false);
    if (kindOf(doc) === 'switch') {
      for (const to of Object.values(doc.cases ?? {})) edges.push([to, done]);
      if (doc.default !== undefined) edges.push([doc.default, done]);
    } else {
      edges.push([doc.next ?? i + 1, done]);
    }
    // Any step may fail; its route is followed with what was approved before it.
    const route = doc.on_error ?? (top ? this.playbookOnError : null);
    if (route !== null && route !== doc.id) edges.push([route, s]);
    return edges;
  }

  /** The approvals once a step entered with `s` ran to its end; checks intent.run steps when reporting. */
  #ran(doc: StepDocument, path: Path, s: Approvals, report: boolean): Approvals {
    switch (kindOf(doc)) {
      case 'use': {
        const intent = doc.with?.['intent'];
        // An L3 tool's approval is kept as `tool:NAME` (its arguments are checked at run time).
        const tool = doc.with?.['tool'];
        const approved = typeof intent === 'string' ? intent : typeof tool === 'string' ? (tool.includes('${') ? tool : `tool:${tool}`) : undefined;
        if (doc.use === 'approval.request' && doc.when === undefined && approved !== undefined) {
          return approved.includes('${') ? { any: true, intents: s.intents } : { any: s.any, intents: new Set([...s.intents, approved]) };
        }
        if (report && doc.use === 'intent.run') this.#check(intent, path, s);
        if (report && doc.use === 'tool.call') this.#checkTool(doc.with?.['name'], path, s);
        return s;
      }
      case 'group':
        return this.sequence(doc.steps ?? [], [...path, 'steps'], s, false, report) ?? s;
      case 'for_each':
        // Zero items run nothing; every later item starts from at least `s`.
        this.sequence(doc.steps ?? [], [...path, 'steps'], s, false, report);
        return s;
      case 'parallel': {
        // Every branch starts from `s`; once the step ends, each branch's approvals hold, unless
        // it may have been skipped or its failure let the step go on.
        let out = s;
        (doc.parallel ?? []).forEach((branch, j) => {
          const ran = this.#ran(branch, [...path, 'parallel', j], s, report);
          const certain = branch.when === undefined && doc.on_branch_error !== 'continue';
          if (certain) out = join(out, ran);
        });
        return out;
      }
      default:
        return s;
    }
  }

  #checkTool(name: unknown, path: Path, s: Approvals): void {
    if (typeof name !== 'string' || name.includes('${')) return;
    const def = this.ctx.caps.tools ? lookupTool(this.ctx.caps.tools, name) : undefined;
    if (def?.level !== 'L3' || s.any || s.intents.has(`tool:${name}`)) return;
    this.ctx.report(
      'APPROVAL_MISSING',
      `tool ${name} is L3: this step can be reached without an approval.request for it; the engine refuses to call it without an approval granted for these arguments`,
      [...path, 'with', 'name'],
      { severity: 'warning', hint: `put an approval.request step with tool: ${name} and the same args on every path to it` },
    );
  }

  #check(intent: unknown, path: Path, s: Approvals): void {
    if (typeof intent !== 'string' || intent.includes('${')) return;
    if (!lookupIntent(this.catalog, intent)?.requiresApproval || s.any || s.intents.has(intent)) return;
    this.ctx.report(
      'APPROVAL_MISSING',
      `intent ${intent} requires approval: this step can be reached without an approval.request for it; the engine refuses to run it without a granted approval`,
      [...path, 'with', 'intent'],
      { severity: 'warning', hint: `put an approval.request step with intent: ${intent} on every path to it` },
    );
  }
}

/** The kind as buildStep decides it; null for a step with several kinds (reported there). */
function kindOf(doc: StepDocument): 'use' | 'parallel' | 'for_each' | 'switch' | 'decide' | 'group' | null {
  const kinds = (['use', 'parallel', 'for_each', 'switch', 'decide'] as const).filter((k) => doc[k] !== undefined);
  if (kinds.length === 0 && doc.steps !== undefined) return 'group';
  return kinds.length === 1 ? kinds[0]! : null;
}

/** What holds on both ways (null: a way not taken yet). */
function meet(a: Approvals | null, b: Approvals): Approvals {
  if (a === null) return b;
  // An expression approval on one way covers whatever literal the other way approved.
  const intents = new Set<string>();
  for (const x of a.intents) if (b.any || b.intents.has(x)) intents.add(x);
  for (const x of b.intents) if (a.any) intents.add(x);
  return { any: a.any && b.any, intents };
}

/** What holds when both hold. */
function join(a: Approvals, b: Approvals): Approvals {
  return { any: a.any || b.any, intents: new Set([...a.intents, ...b.intents]) };
}

function same(a: Approvals | null, b: Approvals): boolean {
  return a !== null && a.any === b.any && a.intents.size === b.intents.size && [...a.intents].every((x) => b.intents.has(x));
}
