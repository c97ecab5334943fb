import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import { CAPS, compile, HEADER, run, stepEnd, world } from './harness.ts';

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
