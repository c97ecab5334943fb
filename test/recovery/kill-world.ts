/** What the killed process and the one that recovers see of the world: the same scripted host. */
export const KILL_NOW = '2026-11-21T23:04:00Z';

export const SHELL = {
  'systemctl restart -- nginx': { exitCode: 0, stdout: '', stderr: '' },
  'systemctl is-active -- nginx': { exitCode: 0, stdout: 'active\n', stderr: '' },
};

/** Every kind of effect: a read, a change with cooldown and audit, an idempotent write, a notification. */
export const KILL_PLAYBOOK = `apiVersion: heal/v1
kind: Playbook
metadata: { name: crashy, version: "1" }
on: { webhook: uptime-kuma, when: event.status == "down" }
on_error: escalate
steps:
  - { id: look, use: state.get, with: { key: "seen:\${event.service}" } }
  - { id: restart, use: intent.run, with: { intent: restart_service, target: "\${event.service}", host: "\${event.host}" } }
  - { id: mark, use: state.set, with: { key: "seen:\${event.service}", value: "\${run.id}" } }
  - { id: tell, use: notify.send, with: { channel: ops, subject: "restarted \${event.service}" }, next: end }
  - { id: escalate, use: escalate, with: { level: N2, reason: "\${default(error.message, 'failed')}" } }
`;
