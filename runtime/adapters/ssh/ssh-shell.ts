import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import { EngineError, isEngineError } from '../../../engine/errors.ts';
import { quoteForPosixShell } from '../../../engine/intents/render.ts';
import type { Shell, ShellRequest, ShellResult } from '../../../engine/ports/shell.ts';
import { describeSshConfig, type SshConfig, type SshHost } from './config.ts';
import { notStarted, openChannel, run, type Connection } from './run-command.ts';

/** What `health()` says of one host: the outcome of the last connection attempt, no new connection made. */
export interface SshHostHealth {
  host: string;
  /** null: never tried since start. */
  ok: boolean | null;
  /** A connection is open now. */
  connected: boolean;
  /** ISO time of the last attempt's outcome (or of the drop of the connection), null before any. */
  at: string | null;
  /** The code and message of the last failure, null when the last attempt worked. */
  error: string | null;
  /** Connections opened since start (one per host while it stays up: connections are reused). */
  connects: number;
}

export interface SshShellOptions {
  /** SSH keepalive interval (ms), so a dead peer is noticed between commands; 0 turns it off. Default 15 s. */
  keepaliveMs?: number;
  /** Milliseconds since an arbitrary origin, for durations (performance.now by default). */
  now?: () => number;
}

const KEEPALIVE_MS = 15_000;


interface HostState {
  host: SshHost;
  connection: Connection | null;
  connecting: Promise<Connection> | null;
  health: SshHostHealth;
}

/**
 * The Shell port over SSH (ssh2). One connection per host of the inventory, opened at the first
 * command and reused (opened again when it dropped); the host key is pinned (an unknown or
 * changed key is refused); each command's argv is sent as one POSIX sh line, every word quoted
 * (`quoteForPosixShell`), never concatenated from untrusted text.
 *
 * Failures follow the port's contract: the command never reached the host (`details.started:
 * false`) for SSH_NO_HOST (`host: null`: this adapter runs nothing locally), SSH_UNKNOWN_HOST
 * (not in the inventory), SSH_HOST_KEY_MISMATCH, SSH_AUTH_FAILED, SSH_CONNECT_FAILED,
 * SSH_CONNECT_TIMEOUT, SSH_KEY_UNREADABLE, SSH_CHANNEL_REFUSED, SSH_ABORTED before sending,
 * SSH_CLOSED; may have run (no `started`) for STEP_TIMEOUT (timeoutMs expired: the channel is
 * signalled TERM and closed), SSH_ABORTED after sending, SSH_CONNECTION_LOST, SSH_NO_EXIT_STATUS
 * (the channel closed without an exit code or signal).
 *
 * stdout and stderr are each bounded (`max_output`, cut with a note while the rest is read and
 * dropped) and scrubbed of secrets (`scrubText`) before they leave the adapter, so the journal,
 * the audit trail and the trace never hold them in clear.
 */
export class SshShell implements Shell {
  private readonly hosts = new Map<string, HostState>();
  private readonly keepaliveMs: number;
  private readonly now: () => number;
  private closed = false;

  constructor(
    private readonly config: SshConfig,
    options: SshShellOptions = {},
  ) {
    for (const host of config.hosts) {
      this.hosts.set(host.name, {
        host,
        connection: null,
        connecting: null,
        health: { host: host.name, ok: null, connected: false, at: null, error: null, connects: 0 },
      });
    }
    this.keepaliveMs = options.keepaliveMs ?? KEEPALIVE_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** One line for the start-up log. */
  describe(): string {
    return describeSshConfig(this.config);
  }

  /** Per host, the outcome of its last connection: no connection is made to answer (for /readyz). */
  health(): SshHostHealth[] {
    return [...this.hosts.values()].map((s) => ({ ...s.health, connected: s.connection?.alive === true }));
  }

  async exec(request: ShellRequest): Promise<ShellResult> {
    const started = this.now();
    if (this.closed) throw notStarted('SSH_CLOSED', 'the SSH adapter is closed: nothing was sent');
    if (request.host === null) {
      throw notStarted('SSH_NO_HOST', 'the command has no host: the SSH adapter runs nothing on the engine\'s own machine');
    }
    const state = this.hosts.get(request.host);
    if (state === undefined) {
      throw notStarted('SSH_UNKNOWN_HOST', `host ${JSON.stringify(request.host)} is not in the SSH inventory (hosts: in engine.config.yaml): nothing was sent`);
    }
    if (request.argv.length === 0) throw notStarted('SSH_EMPTY_COMMAND', 'an empty argv: nothing to run');
    let line: string;
    try {
      line = request.argv.map(quoteForPosixShell).join(' ');
    } catch (e) {
      const code = isEngineError(e) ? e.code : 'SSH_BAD_ARGV';
      throw notStarted(code, `${(e as Error).message}: nothing was sent`);
    }
    const signal = request.signal;
    if (signal?.aborted) throw notStarted('SSH_ABORTED', `aborted before connecting to ${state.host.name}: nothing was sent`);

    const hadConnection = state.connection?.alive === true;
    let connection = await abortable(this.connect(state), signal, () =>
      notStarted('SSH_ABORTED', `aborted while connecting to ${state.host.name}: nothing was sent`),
    );
    let channel: ClientChannel;
    try {
      channel = await openChannel(connection, line, state.host.name);
    } catch (e) {
      // A reused connection that died unnoticed: open a fresh one, once. A refusal on a fresh one is final.
      if (!(hadConnection && !connection.alive && commandNotStartedError(e))) throw e;
      connection = await abortable(this.connect(state), signal, () =>
        notStarted('SSH_ABORTED', `aborted while connecting to ${state.host.name}: nothing was sent`),
      );
      channel = await openChannel(connection, line, state.host.name);
    }
    return await run(channel, connection, {
      host: state.host.name,
      timeoutMs: request.timeoutMs,
      signal,
      maxBytes: state.host.maxOutputBytes,
      started,
      now: this.now,
    });
  }

  /** Ends every connection; commands still running are told the connection is gone. */
  async close(): Promise<void> {
    this.closed = true;
    const pending: Promise<void>[] = [];
    for (const state of this.hosts.values()) {
      const connecting = state.connecting;
      if (connecting) pending.push(connecting.then((c) => endConnection(c), () => {}));
      if (state.connection) pending.push(endConnection(state.connection));
    }
    await Promise.all(pending);
  }

  private connect(state: HostState): Promise<Connection> {
    if (state.connection?.alive) return Promise.resolve(state.connection);
    if (state.connecting) return state.connecting;
    const attempt = this.open(state).finally(() => {
      state.connecting = null;
    });
    state.connecting = attempt;
    return attempt;
  }

  private open(state: HostState): Promise<Connection> {
    const host = state.host;
    const record = (ok: boolean, error: string | null) => {
      state.health = { ...state.health, ok, error, at: new Date().toISOString() };
    };
    return new Promise<Connection>((resolvePromise, rejectPromise) => {
      const fail = (error: EngineError) => {
        record(false, `${error.code}: ${error.message}`);
        rejectPromise(error);
      };
      let auth: Pick<ConnectConfig, 'privateKey' | 'passphrase' | 'agent'>;
      if (host.auth.kind === 'agent') auth = { agent: host.auth.socket };
      else {
        try {
          auth = { privateKey: readFileSync(host.auth.path), ...(host.auth.passphrase === null ? {} : { passphrase: host.auth.passphrase }) };
        } catch (e) {
          fail(notStarted('SSH_KEY_UNREADABLE', `${host.name}: the key file ${host.auth.path} cannot be read (${(e as Error).message}): nothing was sent`));
          return;
        }
      }
      const client = new ssh2.Client();
      const connection: Connection = { client, alive: false, running: new Set() };
      let settled = false;
      let presented: { type: string; matches: boolean } | null = null;
      client.once('ready', () => {
        settled = true;
        connection.alive = true;
        state.connection = connection;
        state.health = { ...state.health, connects: state.health.connects + 1 };
        record(true, null);
        resolvePromise(connection);
      });
      client.on('error', (err: Error & { level?: string }) => {
        if (settled) return; // a running command learns of a drop from 'close'
        settled = true;
        fail(connectError(host, err, presented));
        client.end();
      });
      client.on('close', () => {
        const wasAlive = connection.alive;
        connection.alive = false;
        if (state.connection === connection) state.connection = null;
        if (!settled) {
          settled = true;
          fail(notStarted('SSH_CONNECT_FAILED', `${host.name}: the connection to ${where(host)} closed during the handshake: nothing was sent`, true));
          return;
        }
        if (wasAlive && !this.closed) record(false, `SSH_CONNECTION_LOST: the connection to ${where(host)} dropped`);
        const lost = new EngineError('SSH_CONNECTION_LOST', `${host.name}: the connection dropped while the command ran: it may have run`, {
          retryable: false,
          details: { host: host.name },
        });
        for (const tell of [...connection.running]) tell(lost);
      });
      try {
        client.connect({
          host: host.address,
          port: host.port,
          username: host.user,
          ...auth,
          readyTimeout: host.connectTimeoutMs,
          keepaliveInterval: this.keepaliveMs,
          keepaliveCountMax: 3,
          // Only the pinned key's algorithm is offered, so the server shows that key and no other.
          algorithms: { serverHostKey: hostKeyAlgorithms(host.hostKey.type) },
          hostVerifier: (key: Buffer) => {
            const matches = sameBytes(key, host.hostKey.blob);
            presented = { type: keyType(key) ?? 'unknown', matches };
            return matches;
          },
        } as ConnectConfig);
      } catch (e) {
        settled = true;
        fail(notStarted('SSH_CONNECT_FAILED', `${host.name}: ${(e as Error).message}: nothing was sent`));
      }
    });
  }
}

function where(host: SshHost): string {
  return `${host.user}@${host.address.includes(':') ? `[${host.address}]` : host.address}:${host.port}`;
}

function connectError(host: SshHost, err: Error & { level?: string }, presented: { type: string; matches: boolean } | null): EngineError {
  if (presented !== null && !presented.matches) {
    return notStarted(
      'SSH_HOST_KEY_MISMATCH',
      `${host.name}: the host key of ${where(host)} (${presented.type}) is not the pinned host_key: connection refused, nothing was sent (if the host was reinstalled, check it and pin its new key)`,
    );
  }
  if (/no matching host key format/i.test(err.message)) {
    return notStarted(
      'SSH_HOST_KEY_MISMATCH',
      `${host.name}: ${where(host)} has no ${host.hostKey.type} host key, the type of the pinned host_key: connection refused, nothing was sent`,
    );
  }
  switch (err.level) {
    case 'client-authentication':
    case 'agent':
      return notStarted('SSH_AUTH_FAILED', `${host.name}: ${where(host)} refused the authentication (${err.message}): nothing was sent`);
    case 'client-timeout':
      return notStarted('SSH_CONNECT_TIMEOUT', `${host.name}: no SSH session with ${where(host)} within ${host.connectTimeoutMs} ms: nothing was sent`, true);
    default:
      return notStarted('SSH_CONNECT_FAILED', `${host.name}: cannot connect to ${where(host)} (${err.message}): nothing was sent`, true);
  }
}

/** Opens a session channel and sends the exec request; rejects started:false when the server refused it. */

function commandNotStartedError(e: unknown): boolean {
  return isEngineError(e) && (e as EngineError).details !== undefined && ((e as EngineError).details as { started?: unknown }).started === false;
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined, aborted: () => EngineError): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolvePromise, rejectPromise) => {
    const onAbort = () => rejectPromise(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolvePromise(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        rejectPromise(e);
      },
    );
  });
}

function endConnection(connection: Connection): Promise<void> {
  if (!connection.alive) return Promise.resolve();
  return new Promise((resolvePromise) => {
    connection.client.once('close', () => resolvePromise());
    connection.client.end();
  });
}

function hostKeyAlgorithms(type: string): ServerHostKeyAlgorithm[] {
  return (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]) as ServerHostKeyAlgorithm[];
}

/** Constant-time comparison of two key blobs (lengths are public: a key's length says its type). */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The algorithm name at the head of an SSH key blob (a uint32 length, then the name). */
function keyType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const n = blob.readUInt32BE(0);
  if (n > 64 || blob.length < 4 + n) return null;
  return blob.subarray(4, 4 + n).toString('latin1');
}
