import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import type { Effect, EffectOutcome } from '../../engine/effects/effect.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import type { StepContext } from '../../engine/steps/executor.ts';
import { toolCallStep } from '../../engine/steps/tool.ts';
import { argsHash } from '../../engine/tools/args-hash.ts';
import { loadToolCatalog } from '../../engine/tools/load-catalog.ts';
import { EMPTY_TOOL_CATALOG, type ToolCatalog } from '../../engine/tools/model.ts';
import { CAPS, HEADER, run, world } from '../run/harness.ts';

const TOOLS: ToolCatalog = loadToolCatalog({
  file: 'tools/catalog.yaml',
  content: `
ad_check_user:
  description: Reads an account.
  server: mcp
  level: L1
  read_only: true
  idempotent: true
  timeout_seconds: 10
  args: { type: object, properties: { username: { type: string } }, required: [username] }
ad_unlock_account:
  description: Unlocks an account.
  server: mcp
  level: L2
  read_only: false
  idempotent: true
  timeout_seconds: 10
  args: { type: object, properties: { username: { type: string } }, required: [username] }
ad_reset_password:
  description: Resets a password.
  server: mcp
  level: L3
  read_only: false
  idempotent: false
  timeout_seconds: 10
  args: { type: object, properties: { username: { type: string }, new_password: { type: string, minLength: 12 } }, required: [username, new_password] }
  secret: [new_password]
`,
}).catalog!;

const lint = (body: string, tools: ToolCatalog | null = TOOLS) => loadPlaybook('t.yaml', HEADER + body, { ...CAPS, tools }).diagnostics.map(formatDiagnostic);

function compile(body: string) {
  const { playbook, diagnostics } = loadPlaybook('inline.yaml', HEADER + body, { ...CAPS, tools: TOOLS });
  if (!playbook) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return playbook;
}

const approve = async (effect: Effect): Promise<EffectOutcome | null> =>
  effect.request.kind === 'approval.await' ? { ok: true, value: { decision: 'approved', by: 'alice', at: '2025-03-03T10:05:00.000Z', reason: null } } : null;

describe('tool.call at lint: only catalogued tools', () => {
  it('a literal name not in the catalog is TOOL_UNKNOWN at with.name, with the closest name', () => {
    expect(lint('steps:\n  - { id: t, use: tool.call, with: { name: ad_chek_user, args: { username: a } } }\n')).toEqual([
      't.yaml:6:44: TOOL_UNKNOWN: tool "ad_chek_user" is not in the tool catalog (did you mean ad_check_user?)',
    ]);
  });

  it('without a tool catalog every literal tool is TOOL_UNKNOWN, with what to do', () => {
    expect(lint('steps:\n  - { id: t, use: tool.call, with: { name: probe } }\n', EMPTY_TOOL_CATALOG)).toEqual([
      't.yaml:6:44: TOOL_UNKNOWN: tool "probe" is not in the tool catalog (the project has no tools: add the tool to tools/catalog.yaml)',
    ]);
    expect(lint('steps:\n  - { id: t, use: tool.call, with: { name: probe } }\n', null)).toHaveLength(1);
  });

  it('literal args its schema refuses are TOOL_INVALID_ARGS at with.args, with the ajv path', () => {
    expect(lint('steps:\n  - { id: t, use: tool.call, with: { name: ad_check_user, args: { username: 3 } } }\n')).toEqual([
      't.yaml:6:65: TOOL_INVALID_ARGS: tool ad_check_user: invalid args: /username: must be string (its arguments: username)',
    ]);
    expect(lint('steps:\n  - { id: t, use: tool.call, with: { name: ad_check_user } }\n')).toEqual([
      expect.stringMatching(/^t\.yaml:6:36: TOOL_INVALID_ARGS: tool ad_check_user: invalid args: \(args\): must have required property 'username'/),
    ]);
  });

  it('args holding expressions are checked at run time, not at lint; a name given as an expression too', () => {
    expect(lint('steps:\n  - { id: t, use: tool.call, with: { name: ad_check_user, args: { username: "${event.host}" } } }\n')).toEqual([]);
    expect(lint('steps:\n  - { id: t, use: tool.call, with: { name: "ad_${event.service}" } }\n')).toEqual([]);
  });

  it('read_only: that contradicts the catalog is TOOL_READ_ONLY: a playbook cannot call a write tool read-only', () => {
    expect(lint('steps:\n  - { id: t, use: tool.call, with: { name: ad_unlock_account, args: { username: a }, read_only: true } }\n')).toEqual([
      expect.stringMatching(/^t\.yaml:6:\d+: TOOL_READ_ONLY: tool ad_unlock_account changes things \(L2\): a playbook cannot call it read-only/),
    ]);
    expect(lint('steps:\n  - { id: t, use: tool.call, with: { name: ad_check_user, args: { username: a }, read_only: true } }\n')).toEqual([]);
  });
});

describe('tool.call at run time', () => {
  it('rendered args the schema refuses are refused (TOOL_REFUSED) and the tool is not called', async () => {
    const w = world({ tools: { ad_check_user: { exists: true } } });
    const r = await run(compile('vars: { n: 3 }\nsteps:\n  - { id: t, use: tool.call, with: { name: ad_check_user, args: { username: "${vars.n}" } } }\n'), w, { tools: TOOLS });
    expect(r.outcome).toBe('failed');
    expect(r.reason).toMatch(/^t: TOOL_REFUSED: invalid args for tool ad_check_user: \/username: must be string/);
    expect(w.tools.calls).toEqual([]);
  });

  it('a name rendered at run time that is not catalogued is refused', async () => {
    const w = world({ tools: { ad_x: 1 } });
    const r = await run(compile('steps:\n  - { id: t, use: tool.call, with: { name: "ad_${event.service}" } }\n'), w, { tools: TOOLS, event: { service: 'x' } });
    expect(r.reason).toBe('t: TOOL_REFUSED: unknown tool "ad_x": it is not in the tool catalog');
    expect(w.tools.calls).toEqual([]);
  });

  it('read-only comes from the catalog: an L1 read tool runs in shadow mode, an L2 write tool does not reach its port', async () => {
    const w = world({ tools: { ad_check_user: { exists: true }, ad_unlock_account: { ok: true } } });
    const r = await run(
      compile(`steps:
  - { id: look, use: tool.call, with: { name: ad_check_user, args: { username: bob } } }
  - { id: fix, use: tool.call, with: { name: ad_unlock_account, args: { username: bob } } }
`),
      w,
      { tools: TOOLS, shadow: true },
    );
    expect(r.outcome).toBe('succeeded');
    expect(w.tools.calls.map((c) => c.name)).toEqual(['ad_check_user']);
  });

  const RESET = (askPassword: string) => `
steps:
  - id: ask
    use: approval.request
    with: { tool: ad_reset_password, args: { username: bob, new_password: "${askPassword}" }, reason: "reset bob's password" }
  - { id: reset, use: tool.call, with: { name: ad_reset_password, args: { username: bob, new_password: "correct-horse-battery" } } }
`;

  it('an L3 tool without an approval is refused with APPROVAL_REQUIRED, and nothing is called', async () => {
    const w = world({ tools: { ad_reset_password: { ok: true } } });
    const r = await run(compile('steps:\n  - { id: reset, use: tool.call, with: { name: ad_reset_password, args: { username: bob, new_password: "correct-horse-battery" } } }\n'), w, { tools: TOOLS });
    expect(r.outcome).toBe('failed');
    expect(r.reason).toMatch(/^reset: APPROVAL_REQUIRED: tool ad_reset_password is L3 and this run holds no approval granted for it with these arguments \(sha256:[0-9a-f]{64}\)$/);
    expect(w.tools.calls).toEqual([]);
  });

  it('an L3 tool approved for the same args runs; the grant records the tool and the args hash; the secret field is named in the effect', async () => {
    const w = world({ tools: { ad_reset_password: { ok: true } } });
    const effects: Effect[] = [];
    const r = await run(compile(RESET('correct-horse-battery')), w, {
      tools: TOOLS,
      answerWait: async (e) => {
        effects.push(e);
        return approve(e);
      },
    });
    expect(r.outcome).toBe('succeeded');
    expect(w.tools.calls).toEqual([{ name: 'ad_reset_password', args: { username: 'bob', new_password: 'correct-horse-battery' } }]);
    const hash = argsHash({ new_password: 'correct-horse-battery', username: 'bob' });
    expect(effects[0]!.request).toMatchObject({ kind: 'approval.await', intent: 'tool:ad_reset_password', target: null, tool: 'ad_reset_password', argsHash: hash });
    expect(JSON.stringify(effects[0]!.request)).not.toContain('correct-horse');
    expect(r.state.approvals).toEqual([expect.objectContaining({ step: 'ask', tool: 'ad_reset_password', argsHash: hash, by: 'alice' })]);
    // The effect the journal gets names the secret fields given, for sealing (runtime/driver/journal-codec.ts).
    const ctx = { tools: TOOLS, run: { approvals: r.state.approvals } } as unknown as StepContext;
    const asked = toolCallStep.run(ctx, { name: 'ad_reset_password', args: { username: 'bob', new_password: 'correct-horse-battery' } }).next();
    expect(asked.value).toEqual({ kind: 'tool.call', name: 'ad_reset_password', args: { username: 'bob', new_password: 'correct-horse-battery' }, readOnly: false, secretArgs: ['new_password'] });
    const plain = toolCallStep.run(ctx, { name: 'ad_check_user', args: { username: 'bob' } }).next();
    expect(plain.value).toEqual({ kind: 'tool.call', name: 'ad_check_user', args: { username: 'bob' }, readOnly: true });
  });

  it('an L3 tool approved for other args is refused', async () => {
    const w = world({ tools: { ad_reset_password: { ok: true } } });
    const r = await run(compile(RESET('another-password-1')), w, { tools: TOOLS, answerWait: approve });
    expect(r.outcome).toBe('failed');
    expect(r.reason).toMatch(/^reset: APPROVAL_REQUIRED: /);
    expect(w.tools.calls).toEqual([]);
  });

  it('a tool approval does not approve an intent of the same name', async () => {
    const r = await run(compile(`
steps:
  - { id: ask, use: approval.request, with: { tool: ad_check_user, args: { username: a }, reason: r } }
  - { id: v, use: value, with: { approved: "\${ask.status}", tool: "\${ask.tool}" } }
`), world(), { tools: TOOLS, answerWait: approve });
    expect(r.outcome).toBe('succeeded');
    expect(r.state.approvals[0]).toMatchObject({ intent: 'tool:ad_check_user', tool: 'ad_check_user' });
  });
});
