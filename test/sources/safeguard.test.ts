import { describe, expect, it } from 'vitest';
import { NORMALIZERS } from '../../runtime/sources/normalizer.ts';
import { RECEIVED_AT, events, example, schemaErrors } from './examples.ts';

const sg = NORMALIZERS.safeguard;
const run = (body: unknown) => sg.normalize(body, sg.defaults, RECEIVED_AT);

describe('safeguard: a request for an L3 tool (seed 004 section 5.2)', () => {
  it('the example: a pending event for the tool, its arguments and context kept as data', () => {
    const outcome = run(example('safeguard/reset-password-request.json'));
    expect(events(outcome)).toEqual([
      {
        source: 'safeguard',
        kind: 'alert',
        status: 'pending',
        service: 'ad_reset_password',
        host: null,
        severity: 'warning',
        message: 'Ticket 4242: Jean Dupont a oublie son mot de passe (RESET_MDP)',
        at: '2026-11-21T23:10:00.000Z',
        fingerprint: 'safeguard:req-2026-11-21-0001',
        labels: { requested_by: 'agent_support', ticket_id: '4242' },
        url: null,
        data: {
          arguments: { username: 'j.dupont' },
          context: { reason: 'Ticket 4242: Jean Dupont a oublie son mot de passe (RESET_MDP)', requested_by: 'agent_support', ticket_id: 4242 },
        },
      },
    ]);
    expect(schemaErrors(outcome)).toEqual([]);
  });

  it('without a request id, the same tool and arguments are the same request (one fingerprint), other arguments another', () => {
    const a = events(run({ tool_name: 'glpi_close_ticket', arguments: { ticket_id: 7, solution: 'ok' } }))[0]!;
    const b = events(run({ tool_name: 'glpi_close_ticket', arguments: { solution: 'ok', ticket_id: 7 } }))[0]!;
    const c = events(run({ tool_name: 'glpi_close_ticket', arguments: { ticket_id: 8, solution: 'ok' } }))[0]!;
    expect(a.fingerprint).toMatch(/^safeguard:glpi_close_ticket:[0-9a-f]{32}$/);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
    expect(a.message).toBe('glpi_close_ticket requested');
    expect(a.at).toBe(new Date(RECEIVED_AT).toISOString());
  });

  it.each([
    [{ arguments: {} }, 'MISSING_FIELD', 'tool_name'],
    [{ tool_name: 'Rm -rf', arguments: {} }, 'BAD_FIELD', 'tool_name'],
    [{ tool_name: 'ad_reset_password' }, 'MISSING_FIELD', 'arguments'],
    [{ tool_name: 'ad_reset_password', arguments: [1] }, 'NOT_AN_OBJECT', 'arguments'],
    [{ tool_name: 'ad_reset_password', arguments: { username: 'bob', new_password: 'hunter2hunter2' } }, 'SECRET_FIELD', 'arguments.new_password'],
    [{ tool_name: 'x', arguments: { nested: [{ api_key: 'k' }] } }, 'SECRET_FIELD', 'arguments.nested.0.api_key'],
    [{ tool_name: 'x', arguments: {}, context: { token: 't' } }, 'SECRET_FIELD', 'context.token'],
    [{ tool_name: 'x', arguments: { blob: 'y'.repeat(20_000) } }, 'BAD_FIELD', 'arguments'],
    [{ tool_name: 'x', arguments: {}, requested_at: '2030-01-01T00:00:00Z' }, 'FUTURE_TIMESTAMP', 'requested_at'],
  ])('refuses %j: %s at %s', (body, code, path) => {
    const outcome = run(body);
    expect(outcome).toMatchObject({ ok: false, code, path });
  });
});

describe('safeguard: served only when configured, with auth', () => {
  it('is not an open default; configured without auth it is refused at load', async () => {
    const { buildSourceTable, defaultSourceTable } = await import('../../runtime/http/source-table.ts');
    expect(defaultSourceTable().has('safeguard')).toBe(false);
    expect(buildSourceTable([{ name: 'safeguard', type: 'safeguard' }])).toEqual({
      ok: false,
      errors: [{ path: 'sources[0].auth', message: 'a safeguard source starts approvals of L3 tools: it needs auth (auth: { bearer_env: NAME } or { hmac: ... })' }],
    });
    const ok = buildSourceTable([{ name: 'safeguard', type: 'safeguard', auth: { bearer: 'a-token-of-16-chars-or-more' } }]);
    expect(ok.ok && ok.table.get('safeguard')).toMatchObject({ normalizer: 'safeguard', auth: { bearer: 'a-token-of-16-chars-or-more' } });
  });
});
