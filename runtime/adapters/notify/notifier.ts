import type { Logger } from 'pino';
import { EngineError } from '../../../engine/errors.ts';
import type { Clock } from '../../../engine/ports/clock.ts';
import type { Notification, Notifier } from '../../../engine/ports/notifier.ts';
import type { NotifyConfig } from './config.ts';
import { createSender, type Sender } from './senders.ts';

/** What became of one notification: per target, sent or the reason it was not. */
export interface DeliveryReport {
  channel: string;
  /** The targets it was routed to (the channel's, or `default`'s). */
  routed: string[];
  /** True when the channel's rate limit refused it: nothing was sent. */
  rateLimited: boolean;
  results: { target: string; ok: boolean; reason?: string }[];
}

export interface TargetHealth {
  sent: number;
  failed: number;
  lastFailure: { at: string; reason: string } | null;
  /** Whether the latest attempt succeeded (true before any attempt). */
  ok: boolean;
}

export interface NotifierHealth {
  ok: boolean;
  targets: Record<string, TargetHealth>;
  /** Notifications each channel's rate limit held back. */
  rateLimited: Record<string, number>;
}

/** A token bucket: `capacity` tokens, refilled continuously at capacity per `perMs`, on the given clock. */
class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(readonly capacity: number, readonly perMs: number, now: number) {
    this.#tokens = capacity;
    this.#at = now;
  }

  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.#at);
    this.#tokens = Math.min(this.capacity, this.#tokens + (elapsed * this.capacity) / this.perMs);
    this.#at = Math.max(this.#at, now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export interface ChannelNotifierDeps {
  logger: Logger;
  clock: Pick<Clock, 'now'>;
  /** Tests give their own senders; by default each target of the configuration gets its own. */
  senders?: Record<string, Sender>;
}

/**
 * The Notifier of a `notifiers:` configuration: a notification goes to its channel's targets (a
 * channel the configuration does not route goes to `default`), in parallel. A channel's rate limit
 * holding it back, or a target failing, is logged (warn, with the target and the reason), counted
 * in health(), and returned by deliver(); `send` resolves as long as one target got it, or the
 * rate limit held it back, and rejects with NOTIFY_FAILED (details: every target's reason) only
 * when every target failed.
 */
export class ChannelNotifier implements Notifier {
  readonly #config: NotifyConfig;
  readonly #logger: Logger;
  readonly #clock: Pick<Clock, 'now'>;
  readonly #senders: Map<string, Sender> = new Map();
  readonly #buckets: Map<string, TokenBucket> = new Map();
  readonly #health: Map<string, TargetHealth> = new Map();
  readonly #rateLimited: Map<string, number> = new Map();

  constructor(config: NotifyConfig, deps: ChannelNotifierDeps) {
    this.#config = config;
    this.#logger = deps.logger;
    this.#clock = deps.clock;
    for (const [name, target] of Object.entries(config.targets)) {
      this.#senders.set(name, deps.senders?.[name] ?? createSender(target, deps.logger));
      this.#health.set(name, { sent: 0, failed: 0, lastFailure: null, ok: true });
    }
  }

  /** The targets of a channel: its own, or `default`'s. */
  route(channel: string): string[] {
    return this.#config.channels[channel] ?? this.#config.default;
  }

  async send(n: Notification, options?: { key?: string }): Promise<void> {
    const report = await this.deliver(n, options);
    const failed = report.results.filter((r) => !r.ok);
    if (!report.rateLimited && report.results.length > 0 && failed.length === report.results.length) {
      throw new EngineError('NOTIFY_FAILED', `notification to ${n.channel} not delivered: ${failed.map((f) => `${f.target}: ${f.reason}`).join('; ')}`, {
        retryable: false,
        details: { channel: n.channel, failures: failed.map((f) => ({ target: f.target, reason: f.reason })) },
      });
    }
  }

  /** Sends and says what became of it; never rejects. */
  async deliver(n: Notification, options?: { key?: string }): Promise<DeliveryReport> {
    const key = options?.key;
    const routed = this.route(n.channel);
    const now = this.#clock.now();
    let bucket = this.#buckets.get(n.channel);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.#config.rate.perChannel, this.#config.rate.perMs, now);
      this.#buckets.set(n.channel, bucket);
    }
    if (!bucket.take(now)) {
      const count = (this.#rateLimited.get(n.channel) ?? 0) + 1;
      this.#rateLimited.set(n.channel, count);
      this.#logger.warn(
        { notification: { channel: n.channel, severity: n.severity, subject: n.subject }, key, reason: 'rate_limited', limit: this.#config.rate, held_back: count },
        `notify ${n.channel}: not sent, over the channel's rate limit (${this.#config.rate.perChannel} per ${this.#config.rate.perMs} ms)`,
      );
      return { channel: n.channel, routed, rateLimited: true, results: [] };
    }
    const results = await Promise.all(
      routed.map(async (name) => {
        const sender = this.#senders.get(name);
        const health = this.#health.get(name);
        try {
          if (sender === undefined || health === undefined) throw new Error(`no target named ${name}`);
          await sender.send(n, key);
          health.sent++;
          health.ok = true;
          return { target: name, ok: true };
        } catch (e) {
          const reason = e instanceof Error ? e.message : String(e);
          if (health !== undefined) {
            health.failed++;
            health.ok = false;
            health.lastFailure = { at: new Date(this.#clock.now()).toISOString(), reason };
          }
          this.#logger.warn({ notification: { channel: n.channel, severity: n.severity, subject: n.subject }, key, target: name, reason }, `notify ${n.channel}: target ${name} failed: ${reason}`);
          return { target: name, ok: false, reason };
        }
      }),
    );
    return { channel: n.channel, routed, rateLimited: false, results };
  }

  /** One line for the start-up log. */
  describe(): string {
    const route = (targets: string[]): string => targets.map((t) => this.#senders.get(t)?.description ?? t).join(', ');
    const channels = Object.entries(this.#config.channels).map(([c, t]) => `${c} → ${route(t)}`);
    const { perChannel, perMs } = this.#config.rate;
    return `notifiers: ${[...channels, `other channels → ${route(this.#config.default)}`].join('; ')}; at most ${perChannel} per ${perMs / 1000} s per channel`;
  }

  /** For /readyz: the last failure of each target; ok while every target's latest attempt succeeded. */
  health(): NotifierHealth {
    const targets = Object.fromEntries([...this.#health].map(([name, h]) => [name, { ...h }]));
    return { ok: Object.values(targets).every((h) => h.ok), targets, rateLimited: Object.fromEntries(this.#rateLimited) };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#senders.values()].map((s) => s.close()));
  }
}
