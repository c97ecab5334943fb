import { readFile } from 'node:fs/promises';
import type { IntentCatalog } from '../../engine/intents/index.ts';
import { showValue } from '../../engine/intents/target-rules.ts';
import { validateIntent } from '../../engine/intents/validate.ts';
import { readCatalog, type CommandIo } from '../read-catalog.ts';

/**
 * `engine intents check INTENT [TARGET]` and `engine intents check INTENT --targets FILE`.
 * Without TARGET the intent is checked with no target: right for an intent that takes none
 * (docker_prune), refused with TARGET_REQUIRED for one that needs one.
 *
 * Exit codes: 0 every target is accepted; 1 at least one is refused (or a --targets line is
 * not a JSON string); 2 the check could not run: usage error, unreadable file, or a catalog
 * with errors (its diagnostics go to stderr as file:line:column: CODE: message).
 * Confidence plays no part here (taken as 1); ESCALATE is refused with its reason.
 */
export interface IntentsCheckArgs {
  intent: string;
  target?: string;
  /** A file with one JSON string per line, so control characters and NUL can be written. */
  targetsFile?: string;
  format: 'text' | 'json';
  /** The directory holding catalog.yaml and targets.yaml (usually `intents`). */
  catalogDir: string;
}

export type { CommandIo } from '../read-catalog.ts';

/** One checked target; `code` and `command` are extras beyond {target, ok, reason}. */
interface TargetVerdict {
  target: string | null;
  ok: boolean;
  reason: string | null;
  code: string | null;
  command: string | null;
  /** The line in the --targets file, or null for a single TARGET. */
  line: number | null;
}

export async function intentsCheckCommand(args: IntentsCheckArgs, io: CommandIo): Promise<number> {
  if (args.target !== undefined && args.targetsFile !== undefined) {
    io.stderr('usage: engine intents check INTENT [TARGET | --targets FILE] [--format json]\n');
    return 2;
  }

  const catalog = await readCatalog(args.catalogDir, io);
  if (catalog === null) return 2;

  let verdicts: TargetVerdict[];
  if (args.targetsFile !== undefined) {
    let text: string;
    try {
      text = await readFile(args.targetsFile, 'utf8');
    } catch (e) {
      io.stderr(`${args.targetsFile}: cannot read: ${(e as Error).message}\n`);
      return 2;
    }
    verdicts = checkLines(catalog, args.intent, text);
  } else {
    verdicts = [check(catalog, args.intent, args.target ?? null, null)];
  }

  if (args.format === 'json') {
    io.stdout(`${JSON.stringify(verdicts, null, 2)}\n`);
  } else {
    for (const v of verdicts) io.stdout(`${textLine(v, args.targetsFile)}\n`);
  }
  return verdicts.every((v) => v.ok) ? 0 : 1;
}

function check(catalog: IntentCatalog, intent: string, target: string | null, line: number | null): TargetVerdict {
  const result = validateIntent(catalog, { intent, target, confidence: 1 });
  if (result.ok) return { target, ok: true, reason: null, code: null, command: result.command, line };
  return { target, ok: false, reason: result.reason, code: result.code, command: null, line };
}

/** Each non-empty line must be a JSON string such as "nginx" or "nginx\u0000"; blank lines are skipped. */
function checkLines(catalog: IntentCatalog, intent: string, text: string): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    if (typeof value !== 'string') {
      verdicts.push({
        target: null,
        ok: false,
        reason: `line ${line} is not a JSON string: ${showValue(raw)}`,
        code: 'LINE_NOT_JSON_STRING',
        command: null,
        line,
      });
      return;
    }
    verdicts.push(check(catalog, intent, value, line));
  });
  return verdicts;
}

/** A single TARGET prints just the command when accepted, so scripts can use the output. */
function textLine(v: TargetVerdict, file: string | undefined): string {
  if (v.line === null) return v.ok ? `${v.command}` : `refused: ${v.code}: ${v.reason}`;
  const where = file === undefined ? '' : `${file}:${v.line}: `;
  const shown = v.target === null ? '(no target)' : showValue(v.target);
  if (v.ok) return `${where}ok ${shown}: ${v.command}`;
  return `${where}refused ${shown}: ${v.code}: ${v.reason}`;
}
