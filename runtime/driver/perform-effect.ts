import { describeError, EngineError, isEngineError } from '../../engine/errors.ts';
import type { Ports } from '../../engine/ports/index.ts';
import { SHADOWED, type Effect, type EffectError, type EffectOutcome, type EffectRequest } from '../../engine/effects/effect.ts';
import { REDACTED } from '../../engine/trace/redact.ts';
import { scrubText } from '../../engine/trace/scrub.ts';

/**
 * Executes one effect through the ports and answers its outcome as data; never rejects. In shadow
 * mode a write effect never reaches its port: it answers SHADOWED. The step's timeout is raced on
 * the injected clock, and the port's signal aborted when it fires.
 */
export async function performEffect(effect: Effect, ports: Ports, options: { shadow: boolean }): Promise<EffectOutcome> {
  if (options.shadow && effect.mode === 'write') return { ok: true, value: SHADOWED };
  // One controller per effect: it aborts the port's call on a timeout, and cancels the timer once answered.
  const control = new AbortController();
  try {
    const work = callPort(effect.request, ports, control.signal, effect.id);
    // Ids are made at once: no timer to race. Audit rows are records of what happened, a timeout
    // included: they are written even after the step's deadline, never cut short by it.
    const kind = effect.request.kind;
    const raced = effect.timeout !== null && kind !== 'id.new' && kind !== 'audit.append' && kind !== 'audit.complete';
    const value = raced ? await raceDeadline(work, effect.timeout!, ports, control) : await work;
    return { ok: true, value: value === undefined ? null : value };
  } catch (e) {
    return { ok: false, error: asData(e) };
  }
}

/** The reason the timer of an effect that answered in time is cancelled with (no DOMException made per effect). */
const ANSWERED = Object.freeze({ answered: true });

async function raceDeadline<T>(work: Promise<T>, timeout: NonNullable<Effect['timeout']>, ports: Ports, control: AbortController): Promise<T> {
  const timedOut = (): EngineError => {
    const error = new EngineError('STEP_TIMEOUT', `${timeout.step}: no answer within ${timeout.ms} ms`, { retryable: true });
    control.abort(error);
    return error;
  };
  const remaining = timeout.deadline - ports.clock.now();
  if (remaining <= 0) {
    work.catch(() => {});
    throw timedOut();
  }
  const timer = ports.clock.delay(remaining, control.signal).then(
    () => {
      throw timedOut();
    },
    () => new Promise<never>(() => {}),
  );
  try {
    return await Promise.race([work, timer]);
  } finally {
    if (!control.signal.aborted) control.abort(ANSWERED);
  }
}

/** A probe's own bound, under the step's timeout that races it: the adapter never waits longer. */
const PROBE_TIMEOUT_MS = 30_000;

/** Each adapter that reaches the world gets the effect id as its idempotency key. */
function callPort(request: EffectRequest, ports: Ports, signal: AbortSignal, key: string): Promise<unknown> {
  switch (request.kind) {
    case 'shell.exec':
      // A command's output may print secrets (an env dump, a URL with credentials): scrubbed
      // before it reaches the journal, the trace, an audit row, a prompt or a notification.
      return ports.shell.exec({ host: request.host, argv: request.argv, timeoutMs: request.timeoutMs, signal, key }).then((r) => ({
        ...r,
        stdout: scrubText(r.stdout, REDACTED),
        stderr: scrubText(r.stderr, REDACTED),
      }));
    case 'tool.call':
      return ports.tools.call(request.name, request.args, { signal, key });
    case 'llm.complete':
      return ports.llm.complete({ ...request.request, signal });
    case 'memory.search':
      return ports.memory.search(request.text, request.top);
    case 'http.request':
      return ports.http.request({ method: request.method, url: request.url, headers: request.headers, body: request.body, maxBytes: request.maxBytes, timeoutMs: PROBE_TIMEOUT_MS, signal, key });
    case 'memory.remember':
      return ports.memory.remember(request.incident);
    case 'notify.send':
      return ports.notifier.send(request.notification, { key });
    case 'state.get':
      return ports.state.get(request.key);
    case 'state.set':
      return ports.state.set(request.key, request.value, request.ttlMs);
    case 'state.set_if_absent':
      return ports.state.setIfAbsent(request.key, request.value, request.ttlMs);
    case 'state.delete':
      return ports.state.delete(request.key);
    case 'audit.append':
      return ports.records.appendAudit(request.row);
    case 'audit.complete':
      return ports.records.completeAudit(request.auditId, request.completion);
    case 'log.append':
      return ports.records.appendLog(request.entry);
    case 'id.new':
      return Promise.resolve(ports.ids.next(request.prefix));
    case 'approval.await':
    case 'timer.wait':
      // Waits are answered by a decision or a timer, through the run's journal, never by a port.
      return Promise.reject(new EngineError('EFFECT_NOT_PERFORMED', `${request.kind} is answered by a decision or a timer, not a port`));
  }
}

/** An error as the journal keeps it: code, message, retry decision and JSON details. */
function asData(e: unknown): EffectError {
  const err = describeError(e);
  const details = isEngineError(e) ? (e as EngineError).details : undefined;
  return { code: err.code, message: err.message, retryable: err.retryable, ...(details === undefined ? {} : { details }) };
}
