import { parseDuration } from '../../../engine/expr/index.ts';

/**
 * The `notifiers:` section of engine.config.yaml (docs/notifications.md):
 *
 *   notifiers:
 *     channels: { ops: [mail-ops, slack-ops], approvals: [mail-ops], escalation: [slack-ops] }
 *     default: [log]
 *     targets:
 *       mail-ops: { type: smtp, host: mail.example.org, port: 587, user_env: SMTP_USER, password_env: SMTP_PASSWORD, from: heal@example.org, to: [ops@example.org] }
 *       slack-ops: { type: slack, url_env: SLACK_OPS_WEBHOOK }
 *       log: { type: log }
 *     rate: { per_channel: 20, per: 1m }
 *
 * Secrets (SMTP credentials, webhook URLs, which carry their token) come only from the
 * environment; an error names the path and the variable, never a value.
 */

type Env = Readonly<Record<string, string | undefined>>;

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: string[] };

interface TargetBase {
  name: string;
  /** How long one delivery may take before the target counts as failed. */
  timeoutMs: number;
}

export interface SmtpTarget extends TargetBase {
  type: 'smtp';
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  /** Refuse to send when the server offers no STARTTLS (secure: false only). */
  requireTls: boolean;
  auth: { user: string; pass: string } | null;
  from: string;
  to: string[];
  /** `add`: a notification's mail addresses are added to `to`; `ignore`: only `to` receives it. */
  notificationTo: 'add' | 'ignore';
}

export interface WebhookTarget extends TargetBase {
  type: 'slack' | 'discord';
  url: string;
}

export interface LogTarget {
  name: string;
  type: 'log';
}

export type NotifyTarget = SmtpTarget | WebhookTarget | LogTarget;

export interface NotifyConfig {
  /** Channel name → the targets it goes to. */
  channels: Record<string, string[]>;
  /** The targets of a channel `channels` does not name. */
  default: string[];
  targets: Record<string, NotifyTarget>;
  /** A token bucket per channel: `perChannel` notifications, refilled over `perMs`. */
  rate: { perChannel: number; perMs: number };
}

const DEFAULT_TIMEOUT = '10s';
const DEFAULT_RATE = { perChannel: 20, perMs: 60_000 };
/** `log` is always a target, even when `targets:` does not define it: today's behaviour. */
const BUILTIN_LOG: LogTarget = { name: 'log', type: 'log' };
const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const MAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function readNotifyConfig(raw: unknown, env: Env, at = 'notifiers'): Outcome<NotifyConfig> {
  const errors: string[] = [];
  if (raw === undefined || raw === null) {
    return { ok: true, value: { channels: {}, default: ['log'], targets: { log: BUILTIN_LOG }, rate: DEFAULT_RATE } };
  }
  if (!isObj(raw)) return { ok: false, errors: [`${at}: expected a mapping (channels, default, targets, rate)`] };
  unknownKeys(raw, ['channels', 'default', 'targets', 'rate'], at, errors);

  const targets: Record<string, NotifyTarget> = { log: BUILTIN_LOG };
  if (raw['targets'] !== undefined) {
    if (!isObj(raw['targets'])) errors.push(`${at}.targets: expected a mapping of target names`);
    else {
      for (const [name, t] of Object.entries(raw['targets'])) {
        const path = `${at}.targets.${name}`;
        if (!NAME.test(name)) {
          errors.push(`${path}: a target name is letters, digits, - and _ (at most 64)`);
          continue;
        }
        const target = readTarget(name, t, env, path, errors);
        if (target !== null) targets[name] = target;
      }
    }
  }

  const refs = (v: unknown, path: string): string[] => {
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string')) {
      errors.push(`${path}: expected a non-empty list of target names`);
      return [];
    }
    const names = v as string[];
    // A target that failed to read has its own error already: only undeclared names are reported here.
    const declared = (n: string): boolean => n in targets || (isObj(raw['targets']) && n in raw['targets']);
    names.forEach((n, i) => {
      if (!declared(n)) errors.push(`${path}[${i}]: no target named ${JSON.stringify(n)} under ${at}.targets`);
    });
    if (new Set(names).size !== names.length) errors.push(`${path}: a target is named twice`);
    return names;
  };

  const channels: Record<string, string[]> = {};
  if (raw['channels'] !== undefined) {
    if (!isObj(raw['channels'])) errors.push(`${at}.channels: expected a mapping of channel names to target lists`);
    else for (const [channel, list] of Object.entries(raw['channels'])) channels[channel] = refs(list, `${at}.channels.${channel}`);
  }
  const fallback = raw['default'] === undefined ? ['log'] : refs(raw['default'], `${at}.default`);
  const rate = readRate(raw['rate'], `${at}.rate`, errors);

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { channels, default: fallback, targets, rate } };
}

function readTarget(name: string, t: unknown, env: Env, path: string, errors: string[]): NotifyTarget | null {
  if (!isObj(t)) {
    errors.push(`${path}: expected a mapping with a type: (smtp, slack, discord, log)`);
    return null;
  }
  const before = errors.length;
  const type = t['type'];
  if (type === 'log') {
    unknownKeys(t, ['type'], path, errors);
    return errors.length > before ? null : { name, type: 'log' };
  }
  if (type === 'slack' || type === 'discord') {
    unknownKeys(t, ['type', 'url_env', 'timeout'], path, errors);
    const url = secret(t['url_env'], env, `${path}.url_env`, errors, true);
    if (url !== null && url !== '') {
      let parsed: URL | null = null;
      try {
        parsed = new URL(url);
      } catch {
        errors.push(`${path}.url_env: the value of ${String(t['url_env'])} is not a URL (the value is not shown)`);
      }
      if (parsed !== null && parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        errors.push(`${path}.url_env: the value of ${String(t['url_env'])} is not an http(s) URL (the value is not shown)`);
      }
    }
    const timeoutMs = duration(t['timeout'], DEFAULT_TIMEOUT, `${path}.timeout`, errors);
    return errors.length > before ? null : { name, type, url: url ?? '', timeoutMs };
  }
  if (type === 'smtp') {
    unknownKeys(t, ['type', 'host', 'port', 'secure', 'require_tls', 'user_env', 'password_env', 'from', 'to', 'notification_to', 'timeout'], path, errors);
    const host = t['host'];
    if (typeof host !== 'string' || host.trim() === '') errors.push(`${path}.host: expected a host name`);
    const secure = bool(t['secure'], t['port'] === 465, `${path}.secure`, errors);
    const port = t['port'] ?? (secure ? 465 : 587);
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) errors.push(`${path}.port: expected an integer from 1 to 65535`);
    const requireTls = bool(t['require_tls'], false, `${path}.require_tls`, errors);
    if (secure && requireTls) errors.push(`${path}.require_tls: goes with secure: false (STARTTLS); secure: true is TLS already`);
    const user = secret(t['user_env'], env, `${path}.user_env`, errors, false);
    const pass = secret(t['password_env'], env, `${path}.password_env`, errors, false);
    if ((t['user_env'] === undefined) !== (t['password_env'] === undefined)) errors.push(`${path}: user_env and password_env go together`);
    const from = t['from'];
    if (typeof from !== 'string' || !MAIL.test(from.replace(/^.*<([^>]*)>\s*$/, '$1'))) errors.push(`${path}.from: expected a mail address (name@domain, or "Name <name@domain>")`);
    const to = t['to'] ?? [];
    if (!Array.isArray(to)) errors.push(`${path}.to: expected a list of mail addresses`);
    else to.forEach((a, i) => {
      if (typeof a !== 'string' || !MAIL.test(a)) errors.push(`${path}.to[${i}]: expected a mail address`);
    });
    const notificationTo = t['notification_to'] ?? 'add';
    if (notificationTo !== 'add' && notificationTo !== 'ignore') errors.push(`${path}.notification_to: expected add or ignore`);
    if (notificationTo === 'ignore' && Array.isArray(to) && to.length === 0) errors.push(`${path}.to: needs at least one address when notification_to is ignore`);
    const timeoutMs = duration(t['timeout'], DEFAULT_TIMEOUT, `${path}.timeout`, errors);
    if (errors.length > before) return null;
    return {
      name,
      type: 'smtp',
      host: (host as string).trim(),
      port: port as number,
      secure,
      requireTls,
      auth: user !== null && pass !== null ? { user, pass } : null,
      from: from as string,
      to: to as string[],
      notificationTo: notificationTo as 'add' | 'ignore',
      timeoutMs,
    };
  }
  errors.push(`${path}.type: expected smtp, slack, discord or log`);
  return null;
}

function readRate(v: unknown, path: string, errors: string[]): NotifyConfig['rate'] {
  if (v === undefined) return DEFAULT_RATE;
  if (!isObj(v)) {
    errors.push(`${path}: expected { per_channel: N, per: DURATION }`);
    return DEFAULT_RATE;
  }
  unknownKeys(v, ['per_channel', 'per'], path, errors);
  const n = v['per_channel'] ?? DEFAULT_RATE.perChannel;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 100_000) errors.push(`${path}.per_channel: expected an integer from 1 to 100000`);
  const perMs = duration(v['per'], '1m', `${path}.per`, errors);
  return { perChannel: n as number, perMs };
}

/** Null when the key is absent (and not required); '' after an error. */
function secret(name: unknown, env: Env, path: string, errors: string[], required: boolean): string | null {
  if (name === undefined) {
    if (required) errors.push(`${path}: required (the name of an environment variable)`);
    return null;
  }
  if (typeof name !== 'string' || !ENV_NAME.test(name)) {
    errors.push(`${path}: expected the name of an environment variable (A-Z, 0-9, _)`);
    return '';
  }
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    errors.push(`${path}: environment variable ${name} is not set`);
    return '';
  }
  return value.trim();
}

function duration(v: unknown, fallback: string, path: string, errors: string[]): number {
  const text = v ?? fallback;
  const ms = typeof text === 'string' ? parseDuration(text) : null;
  if (ms === null || ms <= 0) {
    errors.push(`${path}: expected a duration such as 10s, 1m`);
    return 0;
  }
  return ms;
}

function bool(v: unknown, fallback: boolean, path: string, errors: string[]): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') {
    errors.push(`${path}: expected true or false`);
    return fallback;
  }
  return v;
}

function unknownKeys(o: Obj, known: string[], path: string, errors: string[]): void {
  const extra = Object.keys(o).filter((k) => !known.includes(k));
  if (extra.length > 0) errors.push(`${path}: unknown key(s) ${extra.join(', ')} (expected ${known.join(', ')})`);
}
