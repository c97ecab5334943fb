import { intentNames, type IntentDefinition } from '../../engine/intents/model.ts';
import { readCatalog, type CommandIo } from '../read-catalog.ts';

/** One intent as `engine intents list --format json` prints it; keys as the catalog spells them. */
export interface IntentListing {
  name: string;
  description: string;
  risk: IntentDefinition['risk'];
  read_only: boolean;
  requires_approval: boolean;
  cooldown_seconds: number;
  /** Null when the intent takes no target; `set` is the named set the list came from, if any. */
  targets: { set: string | null; items: string[] } | null;
  /** The argv template (empty for ESCALATE). */
  command: string[];
  escalate: boolean;
}

/**
 * `engine intents list`: every intent of the catalog with its risk, whether it is read-only and
 * needs approval, and the targets it accepts. Exit 0, or 2 when the catalog does not load.
 */
export async function intentsListCommand(args: { format: 'text' | 'json'; catalogDir: string }, io: CommandIo): Promise<number> {
  const catalog = await readCatalog(args.catalogDir, io);
  if (catalog === null) return 2;
  const listings = intentNames(catalog).map((name) => listing(catalog[name]!));
  if (args.format === 'json') {
    io.stdout(`${JSON.stringify(listings, null, 2)}\n`);
    return 0;
  }
  const rows = [['INTENT', 'RISK', 'READ-ONLY', 'APPROVAL', 'TARGETS'], ...listings.map(textRow)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) io.stdout(`${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`);
  return 0;
}

function listing(def: IntentDefinition): IntentListing {
  return {
    name: def.name,
    description: def.description,
    risk: def.risk,
    read_only: def.readOnly,
    requires_approval: def.requiresApproval,
    cooldown_seconds: def.cooldownSeconds,
    targets: def.targetList === null ? null : { set: def.targetSet, items: [...def.targetList] },
    command: [...def.command],
    escalate: def.escalate,
  };
}

const SHOWN_TARGETS = 6;

function textRow(l: IntentListing): string[] {
  return [l.name, l.risk, l.read_only ? 'yes' : 'no', l.requires_approval ? 'yes' : 'no', targetsText(l)];
}

function targetsText(l: IntentListing): string {
  if (l.targets === null) return l.escalate ? 'none (runs nothing: hands the incident to a human)' : 'none';
  const { set, items } = l.targets;
  const shown = items.slice(0, SHOWN_TARGETS).join(', ');
  const more = items.length > SHOWN_TARGETS ? `, … (${items.length} in all)` : '';
  return `${set === null ? '' : `${set}: `}${shown}${more}`;
}
