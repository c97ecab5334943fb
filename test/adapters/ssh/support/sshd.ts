import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A real OpenSSH server for the SSH adapter's tests: `sshd -D -e` on 127.0.0.1 with a generated
 * host key, a generated user key in its AuthorizedKeysFile, everything in one temp dir, run as
 * whoever runs the tests. Ready when sshd says "Server listening" (never a blind sleep).
 */
export interface TestSshd {
  dir: string;
  port: number;
  user: string;
  /** The server's host key as ssh-keyscan prints it: "ssh-ed25519 AAAA...". */
  hostKey: string;
  /** A private key the server accepts, and one it does not know. */
  userKeyFile: string;
  strangerKeyFile: string;
  /** Public line of another ed25519 host key (a wrong pin). */
  otherHostKey: string;
  /** Public line of an ecdsa host key (a pin of a type this server does not have). */
  otherTypeHostKey: string;
  /** Publickey logins sshd accepted so far: one per SSH connection. */
  logins(): number;
  log(): string;
  /** Writes an executable script in the temp dir and returns its path. */
  script(name: string, body: string): string;
  stop(): Promise<void>;
}

const SSHD = process.env['SSHD'] ?? '/usr/sbin/sshd';
const SSH_KEYGEN = process.env['SSH_KEYGEN'] ?? 'ssh-keygen';

/** Generates a key pair with ssh-keygen (no passphrase unless given); returns the public key as "TYPE BASE64". */
export function keygen(file: string, type = 'ed25519', passphrase = ''): string {
  const r = spawnSync(SSH_KEYGEN, ['-q', '-t', type, '-N', passphrase, '-C', 'heal-test', '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}
const READY_MS = 15_000;

/** `setEnv`: variables every session gets (sshd's SetEnv), such as a PATH with the test's own systemctl. */
export async function startSshd(options: { setEnv?: Record<string, string> } = {}): Promise<TestSshd> {
  if (!existsSync(SSHD)) {
    throw new Error(`no OpenSSH server at ${SSHD}: apt-get install -y openssh-server (.ci/run does), or set SSHD`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'heal-sshd-'));
  chmodSync(dir, 0o755);
  const hostKey = keygen(join(dir, 'host_ed25519'));
  const otherHostKey = keygen(join(dir, 'other_host_ed25519'));
  const otherTypeHostKey = keygen(join(dir, 'other_host_ecdsa'), 'ecdsa');
  const userPub = keygen(join(dir, 'id_user'));
  keygen(join(dir, 'id_stranger'));
  // `restrict` (no pty, no forwarding), as docs/ssh.md advises for the engine's account.
  writeFileSync(join(dir, 'authorized_keys'), `restrict ${userPub}\n`, { mode: 0o600 });
  // Run as root, sshd needs its privilege separation directory (the Debian service creates it).
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host_ed25519')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'UsePAM no',
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'AllowTcpForwarding no',
        'X11Forwarding no',
        'PrintMotd no',
        'UseDNS no',
        'LogLevel VERBOSE',
        'LoginGraceTime 20',
        ...Object.entries(options.setEnv ?? {}).map(([k, v]) => `SetEnv ${k}=${v}`),
        '',
      ].join('\n'),
    );
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const ready = await new Promise<boolean>((resolveReady) => {
      const guard = setTimeout(() => resolveReady(false), READY_MS);
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (text: string) => {
        log += text;
        if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) {
          clearTimeout(guard);
          resolveReady(true);
        }
      });
      child.once('exit', () => {
        clearTimeout(guard);
        resolveReady(false);
      });
    });
    if (!ready) {
      lastError = log;
      await stopChild(child);
      continue;
    }
    return {
      dir,
      port,
      user: userInfo().username,
      hostKey,
      otherHostKey,
      otherTypeHostKey,
      userKeyFile: join(dir, 'id_user'),
      strangerKeyFile: join(dir, 'id_stranger'),
      logins: () => (log.match(/Accepted publickey for /g) ?? []).length,
      log: () => log,
      script(name, body) {
        const path = join(dir, name);
        writeFileSync(path, body, { mode: 0o755 });
        return path;
      },
      async stop() {
        await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`sshd did not start:\n${lastError}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once('exit', () => resolveStop());
    child.kill('SIGTERM');
  });
}

/** A port the OS says is free now (sshd retries with another if it was taken meanwhile). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const server = createServer();
    server.once('error', rejectPort);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
