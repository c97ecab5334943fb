import { describe, expect, it } from 'vitest';
import { loadProject } from '../../runtime/project/project.ts';
import { EngineError } from '../../engine/errors.ts';
import type { Notifier } from '../../engine/ports/notifier.ts';
import { compile, EVENT, ROOT, run, stepEnd, world } from './harness.ts';

describe('state.delete, id.new and log.append', () => {
  it('state.delete removes a key (the once-only DOWN mark of the health check); in shadow mode it is kept', async () => {
    const pb = compile(`
steps:
  - { id: clear, use: state.delete, with: { key: glpi_down_alert_sent } }
`);
    const w = world();
    await w.state.set('glpi_down_alert_sent', true);
    const shadow = await run(pb, w, { shadow: true });
    expect(stepEnd(shadow.trace, 'clear')[0]!.output).toEqual({ key: 'glpi_down_alert_sent', shadowed: true });
    expect(await w.state.get('glpi_down_alert_sent')).toBe(true);
    await run(pb, w);
    expect(await w.state.get('glpi_down_alert_sent')).toBeNull();
  });

  it('state.set with if_absent claims a key once: the second claim says set: false and leaves the holder; the claim holds the run id by default', async () => {
    const pb = compile(`
steps:
  - { id: claim, use: state.set, with: { key: "support_ticket_42", if_absent: true, ttl: 24h } }
`);
    const w = world();
    const first = await run(pb, w, { runId: 'run_1' });
    expect(stepEnd(first.trace, 'claim')[0]!.output).toEqual({ key: 'support_ticket_42', set: true });
    const second = await run(pb, w, { runId: 'run_2' });
    expect(stepEnd(second.trace, 'claim')[0]!.output).toEqual({ key: 'support_ticket_42', set: false });
    expect(await w.state.get('support_ticket_42')).toBe('run_1');
    expect(await w.state.ttl('support_ticket_42')).toBe(24 * 3_600_000);
    const noTtl = compile(`
steps:
  - { id: claim, use: state.set, with: { key: k, if_absent: true } }
`);
    expect(stepEnd((await run(noTtl, w)).trace, 'claim')[0]!.error).toMatchObject({ code: 'STEP_INPUT' });
  });

  it('id.new gives an id from the Ids port (a counter in tests), for a tracking id built by an expression', async () => {
    const pb = compile(`
steps:
  - { id: rand, use: id.new, with: { prefix: "R" } }
  - { id: tracking, use: value, with: { id: "ALT-\${rand.id}" } }
`);
    const r = await run(pb, world());
    expect(stepEnd(r.trace, 'rand')[0]!.output).toEqual({ id: expect.stringMatching(/^R\S+$/) });
    expect(stepEnd(r.trace, 'tracking')[0]!.output).toEqual({ id: `ALT-${(stepEnd(r.trace, 'rand')[0]!.output as { id: string }).id}` });
  });

  it('log.append keeps a record in a named log with the run and the time; not in shadow mode', async () => {
    const pb = compile(`
steps:
  - { id: keep, use: log.append, with: { log: incident_log, record: { device: "\${event.host}", responsibility: fai, confidence: 85 } } }
`);
    const w = world();
    const r = await run(pb, w, { runId: 'run_42' });
    expect(stepEnd(r.trace, 'keep')[0]!.output).toEqual({ log: 'incident_log', appended: true });
    expect(w.records.logRecords('incident_log')).toEqual([{ log: 'incident_log', runId: 'run_42', playbook: 't', at: '2025-03-03T10:00:00.000Z', record: { device: 'web1', responsibility: 'fai', confidence: 85 } }]);
    const shadow = await run(pb, w, { shadow: true });
    expect(stepEnd(shadow.trace, 'keep')[0]!.output).toEqual({ log: 'incident_log', appended: false });
    expect(w.records.logRecords('incident_log')).toHaveLength(1);
  });
});

describe('notify.send with recipients, links and an HTML part', () => {
  it('passes them to the notifier; a link must be http(s) or mailto', async () => {
    const pb = compile(`
steps:
  - id: tell
    use: notify.send
    with:
      channel: technicians
      subject: "Incident on \${event.host}"
      body: "text part"
      to: [tech@example.org]
      links: [{ label: Ticket, url: "https://glpi.example.org/front/ticket.form.php?id=42" }]
      html: "<p>Incident on <b>\${event.host}</b></p>"
`);
    const w = world();
    await run(pb, w);
    expect(w.notifier.sent).toEqual([
      { channel: 'technicians', severity: 'info', subject: 'Incident on web1', body: 'text part', to: ['tech@example.org'], links: [{ label: 'Ticket', url: 'https://glpi.example.org/front/ticket.form.php?id=42' }], html: '<p>Incident on <b>web1</b></p>' },
    ]);
    const bad = await run(compile(`
steps:
  - { id: tell, use: notify.send, with: { channel: ops, subject: s, links: [{ label: x, url: "javascript:alert(1)" }] } }
`.replace('javascript:alert(1)', '${event.message}')), world(), { event: { source: 'test', host: 'web1', service: 'nginx', status: 'down', fingerprint: 'f', message: 'javascript:alert(1)' } });
    expect(bad.outcome).toBe('failed');
    expect(bad.reason).toMatch(/^tell: STEP_INPUT/);
  });
});

describe('http.request: a probe', () => {
  const PROBE = `
steps:
  - id: probe
    use: http.request
    with: { method: POST, url: "https://glpi.example.org/apirest.php/initSession", headers: { App-Token: abc }, body: { login: bot } }
    timeout: 5s
    on_error: down
  - { id: up, use: state.set, with: { key: glpi_health_status, value: "\${probe.ok ? 'ok' : 'down'}", ttl: 60s }, next: end }
  - { id: down, use: state.set, with: { key: glpi_health_status, value: down, ttl: 60s } }
`.replace("\${probe.ok ? 'ok' : 'down'}", 'ok');

  it('answers {status, ok, body, json, duration_ms} and sends a JSON body as JSON', async () => {
    const w = world({ http: { 'POST https://glpi.example.org/apirest.php/initSession': { status: 200, body: { session_token: 'tok' } } } });
    const r = await run(compile(PROBE), w);
    // The trace masks the session token: a JSON answer is given parsed, never as text.
    expect(stepEnd(r.trace, 'probe')[0]!.output).toEqual({ status: 200, ok: true, body: null, json: { session_token: '[REDACTED]' }, duration_ms: 0 });
    expect(w.http.calls).toEqual([
      { method: 'POST', url: 'https://glpi.example.org/apirest.php/initSession', headers: { 'content-type': 'application/json', 'App-Token': 'abc' }, body: '{"login":"bot"}', maxBytes: 65536, timeoutMs: 30000, key: expect.stringMatching(/\/probe\/1\/1$/) },
    ]);
    expect(await w.state.get('glpi_health_status')).toBe('ok');
  });

  it('a probe that fails takes on_error: where the playbook says down; in shadow mode a probe still runs (it reads)', async () => {
    const w = world({ http: { 'POST https://glpi.example.org/apirest.php/initSession': { error: { code: 'HTTP_UNREACHABLE', message: 'connection refused' } } } });
    const r = await run(compile(PROBE), w);
    expect(r.path).toEqual(['probe', 'down']);
    expect(await w.state.get('glpi_health_status')).toBe('down');
    const ok = world({ http: { 'POST https://glpi.example.org/apirest.php/initSession': { status: 200, body: '' } } });
    const shadow = await run(compile(PROBE), ok, { shadow: true });
    expect(ok.http.calls).toHaveLength(1);
    expect(stepEnd(shadow.trace, 'up')[0]!.output).toEqual({ key: 'glpi_health_status', shadowed: true });
  });
});

describe('what reaches a model', () => {
  it('a secret written in the alert text is masked in the prompt the LLM port receives, and in the trace', async () => {
    const pb = compile(`
steps:
  - { id: ask, use: llm.ask, with: { role: ask, answer: text, model: m, prompt: diagnostician, context: { note: "db at postgres://app:pw-in-url@db:5432/x" } } }
`);
    const w = world({ llm: { ask: { text: 'ok' } } });
    const r = await run(pb, w, { event: { ...EVENT, message: 'nginx down, DB_PASSWORD=hunter2 in env' }, prompts: loadProject([], { root: ROOT }).prompts });
    expect(JSON.stringify(r.trace)).not.toMatch(/hunter2|pw-in-url/);
    const prompt = w.llm.calls[0]!.prompt;
    expect(prompt).toContain('DB_PASSWORD=[REDACTED]');
    expect(prompt).toContain('postgres://app:[REDACTED]@db:5432/x');
    expect(prompt).not.toMatch(/hunter2|pw-in-url/);
  });
});

describe('a notification that fails', () => {
  it('is recorded (trace and output) and never fails the run: the steps after it run, an escalation still escalates', async () => {
    const pb = compile(`
steps:
  - { id: tell, use: notify.send, with: { channel: ops, subject: "restarted nginx" } }
  - { id: after, use: value, with: { sent: "\${tell.sent}", code: "\${tell.error.code}" } }
  - { id: n2, use: escalate, with: { level: N2, reason: "look at it" } }
`);
    const down: Notifier = { send: () => Promise.reject(new EngineError('SMTP_REFUSED', 'mail.example.org refused the connection')) };
    const r = await run(pb, world(), { ports: { notifier: down } });
    expect(r.outcome).toBe('escalated');
    expect(stepEnd(r.trace, 'tell')[0]).toMatchObject({ status: 'ok', output: { sent: false, shadowed: false, error: { code: 'SMTP_REFUSED' } } });
    expect(stepEnd(r.trace, 'after')[0]!.output).toEqual({ sent: false, code: 'SMTP_REFUSED' });
    expect(stepEnd(r.trace, 'n2')[0]!.output).toMatchObject({ notified: false, notify_error: { code: 'SMTP_REFUSED' } });
    expect(r.trace.filter((e) => e.type === 'notify.failed').map((e) => (e as { channel: string }).channel)).toEqual(['ops', 'escalation']);
  });
});

describe("a model's context has a budget", () => {
  it("keeps the last 4096 characters of a long command output (the newest lines) and says what was cut", async () => {
    const pb = compile(`
steps:
  - { id: ask, use: llm.ask, with: { role: ask, answer: text, model: m, prompt: diagnostician, context: { logs: "\${event.data.logs}" } } }
`);
    const w = world({ llm: { ask: { text: 'ok' } } });
    const logs = `${'old line\\n'.repeat(2000)}NEWEST LINE`;
    await run(pb, w, { event: { ...EVENT, data: { logs } }, prompts: loadProject([], { root: ROOT }).prompts });
    const prompt = w.llm.calls[0]!.prompt;
    expect(prompt).toContain(`[… ${logs.length - 4096} earlier characters cut]`);
    expect(prompt).toContain('NEWEST LINE');
    expect(prompt.length).toBeLessThan(logs.length);
  });
});
