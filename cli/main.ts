import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { processIo, rawIo } from './io.ts';
import { dryRunCommand } from './commands/dry-run.ts';
import { intentsCheckCommand } from './commands/intents-check.ts';
import { intentsListCommand } from './commands/intents-list.ts';
import { lintCommand } from './commands/lint.ts';
import { testCommand } from './commands/test.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Exit codes: 0 ok, 1 findings or failures, 2 usage. */
const program = new Command('engine')
  .description('Declarative policy engine for self-healing operations')
  .version(version, '-V, --version', 'print the version (package.json) and exit')
  .exitOverride()
  .showHelpAfterError();

const format = () => new Option('--format <format>', 'text for people, json for machines').choices(['text', 'json']).default('text');
let exitCode = 0;

program
  .command('lint')
  .description('check playbooks: schema, references, decision tables, intents')
  .argument('[paths...]', 'playbook files or folders', [])
  .addOption(format())
  .option('--intents <dir>', 'intent catalog folder', 'intents')
  .option('--prompts <dir>', 'prompt templates folder', 'prompts')
  .action((paths: string[], o) => {
    exitCode = lintCommand(paths, o, processIo);
  });

program
  .command('test')
  .description('run the playbooks\' test cases (tests/*.yaml)')
  .argument('[paths...]', 'playbook folders or test files', [])
  .addOption(format())
  .action(async (paths: string[], o) => {
    exitCode = await testCommand(paths, o, processIo);
  });

program
  .command('dry-run')
  .description('run an event through the playbooks with recording adapters and print the trace')
  .option('--event <file>', 'the event: a normalized event, or a webhook body with --source')
  .option('--schedule', 'run --playbook as its schedule fires at --now (no event)')
  .option('--source <name>', 'normalize the body as sent by: uptime-kuma, alertmanager, observium, generic, or a source named in engine.config.yaml')
  .option('--playbook <name>', 'run this playbook only')
  .option('--llm <file>', 'scripted model answers, keyed by role')
  .option('--memory <file>', 'past incidents with similarity scores (JSON list)')
  .option('--tools <file>', 'tool results keyed by tool name')
  .option('--shell <file>', 'command results keyed by rendered command (as the shell: fixture of test cases)')
  .option('--http <file>', 'HTTP probe answers keyed by "METHOD URL"')
  .option('--state <file>', 'state keys set before the run (a JSON object)')
  .option('--intents <dir>', 'the intent catalog folder (default: intents)')
  .option('--now <iso>', 'the clock for the run (default: the event time)')
  .option('--shadow', 'shadow mode')
  .option('--playbooks <paths...>', 'playbook files or folders', ['playbooks'])
  .addOption(format())
  .action(async (o) => {
    exitCode = await dryRunCommand(o, processIo);
  });

program
  .command('send')
  .description('post a webhook body to a running engine serve, as the monitoring tool would (try the samples in examples/)')
  .argument('<file>', 'a JSON webhook body, e.g. examples/uptime-kuma/down.json')
  .option('--source <name>', 'the webhook source (default: the folder name under examples/)')
  .option('--url <url>', 'the server', process.env['ENGINE_URL'] ?? 'http://127.0.0.1:3002')
  .option('--now', 'move the sample\'s times so it happened now (a dated sample is otherwise stale)')
  .option('--token <token>', 'bearer token, for a source configured with one')
  .addOption(format())
  .action(async (file: string, o) => {
    const { sendCommand } = await import('./commands/send.ts');
    exitCode = await sendCommand({ file, ...o }, processIo);
  });

program
  .command('approve')
  .description('approve or reject what a waiting run asks (its approval.request step); the run resumes in a worker')
  .argument('<run>', 'the run id (GET /runs?status=waiting lists them)')
  .requiredOption('--step <id>', 'the approval.request step the run waits at')
  .option('--approve', 'approve the intent it asks for')
  .option('--reject', 'reject it: the step fails with APPROVAL_REJECTED')
  .requiredOption('--by <name>', 'who decides: recorded in the run and the audit')
  .option('--reason <text>', 'why, for the record')
  .option('--url <url>', 'the server', process.env['ENGINE_URL'] ?? 'http://127.0.0.1:3002')
  .option('--token <token>', 'the APPROVE_TOKEN, when the server has one', process.env['APPROVE_TOKEN'])
  .addOption(format())
  .action(async (runId: string, o) => {
    const { approveCommand } = await import('./commands/approve.ts');
    exitCode = await approveCommand({ runId, ...o }, processIo);
  });

const intents = program.command('intents').description('the intent catalog');
intents
  .command('list')
  .description('every intent: risk, read-only, approval, targets')
  .option('--catalog <dir>', 'intent catalog folder', 'intents')
  .addOption(format())
  .action(async (o) => {
    exitCode = await intentsListCommand({ format: o.format, catalogDir: o.catalog }, rawIo);
  });
intents
  .command('check')
  .description('validate a target for an intent, as the engine would (no TARGET: the intent takes none)')
  .argument('<intent>')
  .argument('[target]')
  .option('--targets <file>', 'check every line of FILE, each a JSON string')
  .option('--catalog <dir>', 'intent catalog folder', 'intents')
  .addOption(format())
  .action(async (intent: string, target: string | undefined, o) => {
    exitCode = await intentsCheckCommand(
      { intent, ...(target !== undefined ? { target } : {}), ...(o.targets ? { targetsFile: o.targets } : {}), format: o.format, catalogDir: o.catalog },
      rawIo,
    );
  });

program
  .command('serve')
  .description('start the HTTP server (webhooks, runs, metrics); configured by environment variables, see .env.example')
  .action(async () => {
    // Loaded on demand: lint and test need none of the server's drivers.
    const { serveCommand } = await import('./commands/serve.ts');
    exitCode = await serveCommand('serve', processIo);
  });

program
  .command('worker')
  .description('run playbooks from the queue (distributed profile: REDIS_URL and DATABASE_URL)')
  .action(async () => {
    const { serveCommand } = await import('./commands/serve.ts');
    exitCode = await serveCommand('worker', processIo);
  });

program
  .command('audit')
  .description('list the audit trail, newest first (the latest state of each entry)')
  .option('--run <id>', 'only this run')
  .option('--playbook <name>', 'only this playbook')
  .option('--intent <name>', 'only this intent')
  .option('--status <status>', 'pending_execution, success, failure, not_run, shadowed or refused')
  .option('--since <iso>', 'only rows at or after this time')
  .option('--limit <n>', 'at most this many rows', '50')
  .addOption(format())
  .action(async (o) => {
    const { auditCommand } = await import('./commands/audit.ts');
    exitCode = await auditCommand(o, processIo);
  });

program
  .command('replay')
  .description('drive a version of a recorded run\'s playbook with the answers its journal recorded; report the first divergence')
  .argument('<run>', 'the run id')
  .option('--playbook <file>', 'replay against this playbook file (default: the version the run was admitted with)')
  .option('--save-case <file>', 'append the run as an engine test case to FILE (created if missing)')
  .option('--json', 'print the result object (as --format json)')
  .addOption(format())
  .action(async (run: string, o) => {
    const { replayCommand } = await import('./commands/replay.ts');
    exitCode = await replayCommand(run, { ...o, json: o.json === true || o.format === 'json' }, processIo);
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    processIo.stderr(`engine: ${(e as Error).message}`);
    exitCode = 2;
  }
}
process.exitCode = exitCode;
