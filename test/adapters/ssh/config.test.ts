import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeSshConfig, readSshConfig } from '../../../runtime/adapters/ssh/config.ts';
import { keygen } from './support/sshd.ts';

let dir: string;
let keyFile: string;
let hostKey: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'heal-ssh-config-'));
  keyFile = join(dir, 'id_ed25519');
  hostKey = keygen(keyFile);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const host = (more: Record<string, unknown> = {}) => ({ name: 'web-1', address: '10.0.0.5', user: 'heal', key_file: keyFile, host_key: hostKey, ...more });
const errorsOf = (raw: unknown, env: Record<string, string> = {}) => {
  const r = readSshConfig(raw, env, { baseDir: dir });
  return r.ok ? [] : r.errors;
};

describe('readSshConfig', () => {
  it('reads a host with its defaults', () => {
    const r = readSshConfig([host()], {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [h] = r.value.hosts;
    expect(h).toMatchObject({ name: 'web-1', address: '10.0.0.5', port: 22, user: 'heal', connectTimeoutMs: 10_000, maxOutputBytes: 1024 * 1024 });
    expect(h!.auth).toEqual({ kind: 'key_file', path: keyFile, passphrase: null });
    expect(h!.hostKey.type).toBe('ssh-ed25519');
    expect(h!.hostKey.blob.toString('base64')).toBe(hostKey.split(' ')[1]);
  });

  it('reads the options, an agent, a relative key file, and a host key line as ssh-keyscan prints it', () => {
    const r = readSshConfig(
      [
        host({ port: 2222, connect_timeout: '3s', max_output: 4096, key_file: 'id_ed25519', host_key: `10.0.0.5 ${hostKey} a comment` }),
        { name: 'db-1', address: 'fd00::6', user: 'heal', agent: true, host_key: hostKey },
      ],
      { SSH_AUTH_SOCK: '/run/agent.sock' },
      { baseDir: dir },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.hosts[0]).toMatchObject({ port: 2222, connectTimeoutMs: 3000, maxOutputBytes: 4096, auth: { kind: 'key_file', path: keyFile } });
    expect(r.value.hosts[1]!.auth).toEqual({ kind: 'agent', socket: '/run/agent.sock' });
    expect(describeSshConfig(r.value)).toBe('ssh: 2 hosts (web-1 10.0.0.5:2222 as heal, db-1 [fd00::6]:22 as heal via agent)');
  });

  it('names the path of every error', () => {
    expect(errorsOf([host({ host_key: undefined })])).toEqual([expect.stringMatching(/^hosts\[0\]\.host_key: required: /)]);
    expect(errorsOf([host(), host({ name: 'db', port: 0 })])).toEqual([expect.stringMatching(/^hosts\[1\]\.port: expected an integer from 1 to 65535, got 0$/)]);
    expect(errorsOf([host({ port: '22' })])).toEqual(['hosts[0].port: expected an integer from 1 to 65535, got "22"']);
    expect(errorsOf([host(), host({ address: '10.0.0.6' })])).toEqual(['hosts[1].name: web-1 is already the name of hosts[0] (names are compared without case)']);
    expect(errorsOf([host(), host({ name: 'WEB-1' })])).toEqual(['hosts[1].name: WEB-1 is already the name of hosts[0] (names are compared without case)']);
    expect(errorsOf([host({ hostname: 'x' })])).toEqual([expect.stringMatching(/^hosts\[0\]\.hostname: unknown key \(expected name, address/)]);
  });

  it('refuses bad values of each field', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'web 1' }, /^hosts\[0\]\.name: expected a host name/],
      [{ address: '-oProxyCommand=x' }, /^hosts\[0\]\.address: expected a DNS name or an IP address/],
      [{ user: 'root;id' }, /^hosts\[0\]\.user: expected a user name/],
      [{ key_file: join(dir, 'missing') }, /^hosts\[0\]\.key_file: no file at .*missing$/],
      [{ key_file: `${keyFile}.pub` }, /^hosts\[0\]\.key_file: .* (holds a public key|is not a usable private key)/],
      [{ agent: true }, /^hosts\[0\]: key_file and agent are exclusive/],
      [{ key_file: undefined }, /^hosts\[0\]: needs key_file .* or agent: true/],
      [{ key_file: undefined, agent: true }, /^hosts\[0\]\.agent: the environment variable SSH_AUTH_SOCK is not set$/],
      [{ key_file: undefined, agent: 'yes' }, /^hosts\[0\]\.agent: expected true/],
      [{ host_key: 'ssh-dss AAAAB3NzaC1kc3MAAACBAP' }, /^hosts\[0\]\.host_key: expected "TYPE BASE64" with TYPE one of ssh-ed25519/],
      [{ host_key: 'ssh-ed25519 not!base64' }, /^hosts\[0\]\.host_key: the key after ssh-ed25519 is not base64$/],
      [{ host_key: `ssh-rsa ${hostKey.split(' ')[1]}` }, /^hosts\[0\]\.host_key: not a valid ssh-rsa public key/],
      [{ host_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==' }, /^hosts\[0\]\.host_key: not a valid ssh-ed25519 public key/],
      [{ host_key: 42 }, /^hosts\[0\]\.host_key: expected a text/],
      [{ connect_timeout: 10 }, /^hosts\[0\]\.connect_timeout: expected a duration from 1ms to 5m such as 10s, got 10$/],
      [{ connect_timeout: '1h' }, /^hosts\[0\]\.connect_timeout: expected a duration/],
      [{ max_output: 10 }, /^hosts\[0\]\.max_output: expected a number of bytes from 256 to 67108864, got 10$/],
      [{ key_passphrase_env: 'KEY_PASS' }, /^hosts\[0\]\.key_passphrase_env: the environment variable KEY_PASS is not set$/],
    ];
    for (const [more, pattern] of cases) {
      const errors = errorsOf([host(more)]);
      expect({ more, errors }).toEqual({ more, errors: [expect.stringMatching(pattern)] });
    }
  });

  it('refuses what is not a list of mappings, and takes no hosts as an empty inventory', () => {
    expect(errorsOf({ name: 'web-1' })).toEqual(['hosts: expected a list of hosts']);
    expect(errorsOf(['web-1'])).toEqual([expect.stringMatching(/^hosts\[0\]: expected a mapping/)]);
    expect(readSshConfig(undefined, {})).toEqual({ ok: true, value: { hosts: [] } });
    expect(describeSshConfig({ hosts: [] })).toBe('ssh: no hosts');
  });

  it('reads an encrypted key with its passphrase from the environment, and refuses it without', () => {
    const enc = join(dir, 'id_encrypted');
    keygen(enc, 'ed25519', 'correct horse');
    expect(errorsOf([host({ key_file: enc, key_passphrase_env: 'HEAL_KEY_PASS' })], { HEAL_KEY_PASS: 'correct horse' })).toEqual([]);
    expect(errorsOf([host({ key_file: enc })])).toEqual([expect.stringMatching(/^hosts\[0\]\.key_file: .* is not a usable private key .*; give key_passphrase_env$/)]);
    expect(errorsOf([host({ key_file: enc, key_passphrase_env: 'HEAL_KEY_PASS' })], { HEAL_KEY_PASS: 'wrong' })).toEqual([expect.stringMatching(/^hosts\[0\]\.key_file: .* is not a usable private key/)]);
    writeFileSync(join(dir, 'garbage'), 'not a key');
    expect(errorsOf([host({ key_file: join(dir, 'garbage') })])).toEqual([expect.stringMatching(/^hosts\[0\]\.key_file: .* is not a usable private key/)]);
  });
});

describe('docs/ssh.md', () => {
  it('its hosts: example reads clean, and the start-up line it shows is the one printed', () => {
    const doc = readFileSync(new URL('../../../docs/ssh.md', import.meta.url), 'utf8');
    const example = /```yaml\n(hosts:\n[\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const raw = (parse(example!) as { hosts: Record<string, unknown>[] }).hosts;
    // The example's key file is on the engine's machine: point it at one made here.
    const hosts = raw.map((h) => (h['key_file'] === undefined ? h : { ...h, key_file: keyFile }));
    const r = readSshConfig(hosts, { SSH_AUTH_SOCK: '/run/agent.sock' });
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (r.ok) expect(doc).toContain(`\`${describeSshConfig(r.value)}\``);
  });
});
