import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import { loadProject } from '../../runtime/project/project.ts';
import { CAPS, compile, HEADER, ROOT, run, stepEnd, world } from './harness.ts';

/** Seed 004's determine_responsibility as a table with two outputs. */
const RESPONSIBILITY = `
vars: { diag: { is_widip_equipment: false, gateway_status: GW, internet_status: NET, dns_status: DNS } }
steps:
  - id: responsibility
    decide:
      - { when: "vars.diag.is_widip_equipment", then: { responsibility: widip, confidence: 95 } }
      - { when: "vars.diag.gateway_status == 'fail'", then: { responsibility: local, confidence: 90 } }
      - { when: "vars.diag.gateway_status == 'ok' and vars.diag.internet_status == 'fail'", then: { responsibility: fai, confidence: 85 } }
      - { when: "vars.diag.gateway_status == 'ok' and vars.diag.internet_status == 'ok' and vars.diag.dns_status == 'fail'", then: { responsibility: fai_dns, confidence: 75 } }
      - { when: "vars.diag.gateway_status == 'ok' and vars.diag.internet_status == 'ok' and vars.diag.dns_status == 'ok'", then: { responsibility: resolved, confidence: 80 } }
      - else: { responsibility: indetermine, confidence: 40 }
  - { id: ticket, use: value, with: { who: "\${responsibility.responsibility}", diag_tag: "\${responsibility.confidence < 80}" } }
`;

const table = (gw: string, net: string, dns: string) => compile(RESPONSIBILITY.replace('GW', gw).replace('NET', net).replace('DNS', dns));

describe('decision tables with several named outputs', () => {
  it.each([
    ['fail', 'ok', 'ok', 'local', 90],
    ['ok', 'fail', 'ok', 'fai', 85],
    ['ok', 'ok', 'fail', 'fai_dns', 75],
    ['ok', 'ok', 'ok', 'resolved', 80],
    ['unknown', 'ok', 'ok', 'indetermine', 40],
  ])('gw=%s int=%s dns=%s gives %s with confidence %i', async (gw, net, dns, who, confidence) => {
    const r = await run(table(gw, net, dns), world());
    expect(stepEnd(r.trace, 'responsibility')[0]!.output).toEqual({ responsibility: who, confidence });
    expect(stepEnd(r.trace, 'ticket')[0]!.output).toEqual({ who, diag_tag: confidence < 80 });
    expect(r.trace.find((e) => e.type === 'decision')).toMatchObject({ then: { responsibility: who, confidence } });
    // Named outputs without a `decision` output do not set the run's decision.
    expect(r.decision).toBeNull();
  });

  it('a `decision` output is the run decision', async () => {
    const r = await run(compile(`
steps:
  - id: d
    decide:
      - { when: "true", then: { decision: AUTO_EXECUTE, level: 1 } }
      - else: { decision: ESCALATE_N2, level: 2 }
`), world());
    expect(r.decision).toBe('AUTO_EXECUTE');
  });

  it('lint: rows that give other outputs are located errors', () => {
    const out = loadPlaybook('t.yaml', HEADER + `
steps:
  - id: d
    decide:
      - { when: "true", then: { responsibility: local, confidence: 90 } }
      - { when: "false", then: { responsibility: fai } }
      - else: ESCALATE
`, CAPS).diagnostics.map(formatDiagnostic);
    expect(out).toEqual([
      expect.stringMatching(/^t\.yaml:10:32: DECISION_OUTPUTS: row 2 decides responsibility, row 1 decides confidence, responsibility: every row of a table gives the same outputs$/),
      expect.stringMatching(/^t\.yaml:11:15: DECISION_OUTPUTS: row 3 decides \(one value\), row 1 decides confidence, responsibility/),
    ]);
  });
});

describe('llm.ask with a declared output schema', () => {
  const project = loadProject([], { root: ROOT });
  const OUTPUT = `{ type: object, required: [category, confidence], additionalProperties: false, properties: { category: { enum: [RESET_MDP, DEBLOCAGE_COMPTE, DIAG, AUTRE] }, confidence: { type: number, minimum: 0, maximum: 100 } } }`;
  const pb = () =>
    compile(`
steps:
  - id: categorize
    use: llm.ask
    with: { model: "qwen2.5-coder:3b", prompt: expert, role: support, output: ${OUTPUT} }
`);

  it('an answer that matches the schema is the step output, checked before any step reads it', async () => {
    const w = world({ llm: { support: { category: 'RESET_MDP', confidence: 92 } } });
    const r = await run(pb(), w, { prompts: project.prompts });
    expect(stepEnd(r.trace, 'categorize')[0]!.output).toEqual({ category: 'RESET_MDP', confidence: 92 });
    expect(w.llm.calls[0]!.role).toBe('support');
  });

  it('an answer off the schema fails the step with LLM_BAD_ANSWER and says where', async () => {
    const r = await run(pb(), world({ llm: { support: { category: 'PIZZA', confidence: 92 } } }), { prompts: project.prompts });
    expect(r.reason).toMatch(/^categorize: LLM_BAD_ANSWER: support answer does not match its declared output: \/category must be equal to one of the allowed values/);
  });

  it('lint: a schema that is not one is a located error, and so are answer: and output: together', () => {
    const out = loadPlaybook('t.yaml', HEADER + `
steps:
  - { id: a, use: llm.ask, with: { model: m, prompt: expert, role: r, output: { type: objekt } } }
  - { id: b, use: llm.ask, with: { model: m, prompt: expert, role: r, answer: text, output: { type: object } } }
`, CAPS).diagnostics.map(formatDiagnostic);
    expect(out).toEqual([
      expect.stringMatching(/^t\.yaml:7:\d+: STEP_INVALID_INPUT: llm\.ask output\/type must be equal to one of the allowed values/),
      expect.stringMatching(/^t\.yaml:8:\d+: STEP_INVALID_INPUT: llm\.ask takes answer: or output:, not both$/),
    ]);
  });
});

describe('the trace shows what reached a model', () => {
  it('each llm event carries the rendered prompt, redacted', async () => {
    const project = loadProject([], { root: ROOT });
    const pb = compile(`
steps:
  - { id: diag, use: llm.diagnose, with: { model: m, prompt: diagnostician, context: { password: hunter2 } } }
`);
    const r = await run(pb, world({ llm: { diagnostician: { observation: 'x', intent: 'ESCALATE', target: null, confidence: 0.1, reasoning: 'r' } } }), { prompts: project.prompts });
    const llm = r.trace.find((e) => e.type === 'llm') as { prompt?: string; promptChars: number } | undefined;
    expect(llm?.prompt).toContain('nginx is down');
    expect(llm?.prompt?.length).toBeGreaterThan(100);
  });
});
