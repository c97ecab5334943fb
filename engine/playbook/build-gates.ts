import { parseDuration } from '../expr/index.ts';
import { GATE_KINDS } from '../gates/table.ts';
import type { GateDocument } from '../../schemas/playbook.ts';
import type { CompileContext } from './compile-context.ts';
import type { Gate, MaintenanceWindow } from './model.ts';

/** Builds the gates in order; each YAML item has exactly one key, the gate kind (schema-checked). */
export function buildGates(ctx: CompileContext, gates: readonly GateDocument[]): Gate[] {
  const out: Gate[] = [];
  const labels = new Map<string, number>();
  gates.forEach((g, i) => {
    const path = ['gates', i];
    if (ctx.broken.has(path)) return; // failed the schema: reported there
    const kind = Object.keys(g)[0] as (typeof GATE_KINDS)[number];
    const location = ctx.at(path);
    const base = (label: string) => {
      const n = (labels.get(label) ?? 0) + 1;
      labels.set(label, n);
      return { location, label: n === 1 ? label : `${label}#${n}` };
    };
    const p = [...path, kind];
    const ms = (text: string, at: (string | number)[]) => parseDuration(text) ?? (ctx.report('SCHEMA', `bad duration ${JSON.stringify(text)}`, at), 0);
    switch (kind) {
      case 'stale':
        out.push({ kind, ...base('stale'), olderThanMs: ms(g.stale!.older_than, [...p, 'older_than']) });
        break;
      case 'dedup': {
        const key = ctx.expr(g.dedup!.key, [...p, 'key']);
        if (key) out.push({ kind, ...base('dedup'), key, forMs: ms(g.dedup!.for, [...p, 'for']) });
        break;
      }
      case 'rate': {
        const r = g.rate!;
        const key = ctx.expr(r.key, [...p, 'key']);
        if (key) out.push({ kind, ...base(r.name ? `rate:${r.name}` : 'rate'), key, max: r.max, perMs: ms(r.per, [...p, 'per']) });
        break;
      }
      case 'cooldown': {
        const c = g.cooldown!;
        const key = ctx.expr(c.key, [...p, 'key']);
        if (key) out.push({ kind, ...base('cooldown'), key, forMs: c.for === undefined ? null : ms(c.for, [...p, 'for']) });
        break;
      }
      case 'circuit': {
        const c = g.circuit!;
        out.push({ kind, ...base('circuit'), key: c.key, openWhen: Array.isArray(c.open_when) ? c.open_when : [c.open_when] });
        break;
      }
      case 'maintenance': {
        const m = g.maintenance!;
        const windows: MaintenanceWindow[] = (m.windows ?? []).map((w, j) => {
          const fromMs = Date.parse(w.from);
          const toMs = Date.parse(w.to);
          if (!(toMs > fromMs)) ctx.report('SCHEMA', 'a maintenance window must end after it starts', [...p, 'windows', j]);
          return { fromMs, toMs, hosts: w.hosts ?? null, services: w.services ?? null, reason: w.reason ?? null };
        });
        const key = m.key === undefined ? null : ctx.expr(m.key, [...p, 'key']);
        const when = m.when === undefined ? null : ctx.expr(m.when, [...p, 'when']);
        out.push({ kind, ...base('maintenance'), windows, key, when });
        break;
      }
      default:
        ctx.report('GATE_UNKNOWN', `unknown gate ${JSON.stringify(kind)}; gates are ${GATE_KINDS.join(', ')}`, path);
    }
  });
  return out;
}
