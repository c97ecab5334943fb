import { StringDecoder } from 'node:string_decoder';
import type { Client as SshClient, ClientChannel } from 'ssh2';
import { EngineError } from '../../../engine/errors.ts';
import type { ShellResult } from '../../../engine/ports/shell.ts';
import { scrubText } from '../../../engine/trace/scrub.ts';

/**
 * One command on an open SSH connection: its channel, its bounded and scrubbed output, its exit
 * code, its timeout and abort. What the Shell port's contract says of failures holds here too:
 * `started: false` only when the command cannot have reached the host.
 */

const MASK = '[REDACTED]';
/** Partial output kept in the details of a timeout or a dropped connection. */
const PARTIAL_BYTES = 4096;

export interface Connection {
  client: SshClient;
  alive: boolean;
  /** Commands running on it: told when the connection drops. */
  running: Set<(error: EngineError) => void>;
}

/** A failure that means the command never reached the host. */
export function notStarted(code: string, message: string, retryable = false): EngineError {
  return new EngineError(code, message, { retryable, details: { started: false } });
}

export function openChannel(connection: Connection, line: string, host: string): Promise<ClientChannel> {
  return new Promise((resolvePromise, rejectPromise) => {
    if (!connection.alive) {
      rejectPromise(notStarted('SSH_CONNECTION_LOST', `${host}: the connection closed before the command was sent: nothing ran`, true));
      return;
    }
    try {
      connection.client.exec(line, (err, channel) => {
        if (!err) return resolvePromise(channel);
        // A refusal on a live connection ran nothing; a connection lost before the answer may have.
        if (connection.alive) rejectPromise(notStarted('SSH_CHANNEL_REFUSED', `${host}: the server refused the command's channel (${err.message}): nothing ran`, true));
        else rejectPromise(new EngineError('SSH_CONNECTION_LOST', `${host}: the connection dropped as the command was sent: it may have run`, { details: { host } }));
      });
    } catch (e) {
      rejectPromise(notStarted('SSH_CHANNEL_REFUSED', `${host}: the command could not be sent (${(e as Error).message}): nothing ran`, true));
    }
  });
}

export interface RunOptions {
  host: string;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  maxBytes: number;
  started: number;
  now: () => number;
}

export function run(channel: ClientChannel, connection: Connection, o: RunOptions): Promise<ShellResult> {
  return new Promise((resolvePromise, rejectPromise) => {
    const stdout = new Bounded(o.maxBytes);
    const stderr = new Bounded(o.maxBytes);
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let done = false;
    channel.on('data', (chunk: Buffer) => stdout.push(chunk));
    channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    channel.on('exit', ((code: number | null, signalName?: string) => {
      if (typeof code === 'number') exitCode = code;
      else exitSignal = signalName ?? 'unknown';
    }) as (code: number) => void);

    const finish = () => {
      done = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      connection.running.delete(onLost);
    };
    const partial = () => ({ stdout: stdout.text(PARTIAL_BYTES), stderr: stderr.text(PARTIAL_BYTES), durationMs: Math.round(o.now() - o.started) });
    const stop = (error: EngineError) => {
      if (done) return;
      finish();
      try {
        channel.signal('TERM');
      } catch {
        // the server may not take signals: closing the channel is what is left
      }
      channel.close();
      rejectPromise(error);
    };
    const onLost = (error: EngineError) => {
      if (done) return;
      finish();
      rejectPromise(new EngineError(error.code, error.message, { details: { host: o.host, ...partial() } }));
    };
    const onAbort = () =>
      stop(new EngineError('SSH_ABORTED', `${o.host}: the command was aborted while it ran: it may have run`, { details: { host: o.host, ...partial() } }));
    const timer = setTimeout(
      () =>
        stop(
          new EngineError('STEP_TIMEOUT', `${o.host}: the command did not end within ${o.timeoutMs} ms: it was signalled and its channel closed; it may have run`, {
            details: { host: o.host, timeoutMs: o.timeoutMs, ...partial() },
          }),
        ),
      o.timeoutMs,
    );
    connection.running.add(onLost);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.signal?.aborted) onAbort();

    channel.on('close', () => {
      if (done) return;
      if (exitCode === null && exitSignal === null) {
        // No exit status: the connection is going (its 'close' comes next), or the server said nothing.
        setImmediate(() => {
          if (done) return;
          finish();
          const message = connection.alive
            ? `${o.host}: the command's channel closed without an exit status: it may have run`
            : `${o.host}: the connection dropped while the command ran: it may have run`;
          rejectPromise(new EngineError(connection.alive ? 'SSH_NO_EXIT_STATUS' : 'SSH_CONNECTION_LOST', message, { details: { host: o.host, ...partial() } }));
        });
        return;
      }
      finish();
      let err = stderr.text();
      if (exitSignal !== null) err += `${err === '' || err.endsWith('\n') ? '' : '\n'}[ssh: the command was killed by signal ${exitSignal}]`;
      resolvePromise({ exitCode, stdout: stdout.text(), stderr: err, durationMs: Math.round(o.now() - o.started) });
    });
  });
}

/** Keeps the first `max` bytes of a stream and counts the rest, which is read and dropped. */
class Bounded {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;
  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    const room = this.max - this.kept;
    if (room > 0) {
      const take = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.chunks.push(take);
      this.kept += take.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(0, room));
  }

  /** The text kept (at most `limit` bytes), never ending inside a UTF-8 character, with a note when cut, secrets masked. */
  text(limit = this.max): string {
    let bytes = Buffer.concat(this.chunks);
    const total = this.kept + this.dropped;
    if (bytes.length > limit) bytes = bytes.subarray(0, limit);
    // write() holds back an incomplete trailing character instead of making it U+FFFD.
    const body = bytes.length < total ? new StringDecoder('utf8').write(bytes) : bytes.toString('utf8');
    const note = bytes.length < total ? `${body === '' || body.endsWith('\n') ? '' : '\n'}[output cut at ${bytes.length} bytes: ${total - bytes.length} more bytes dropped]` : '';
    return scrubText(body + note, MASK);
  }
}

