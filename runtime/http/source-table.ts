import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { closestName } from '../../engine/schema-check/closest.ts';
import { isSourceName, NORMALIZERS, type NormalizeOutcome, type SourceName } from '../sources/normalizer.ts';

/**
 * The webhook endpoints: `/hooks/<name>` for each source. A source is a name with a normalizer
 * (uptime-kuma, alertmanager, observium, generic), its own options and its own auth, so one
 * normalizer can serve several senders (two Alertmanagers, a staging Uptime Kuma). The name is
 * the path and the `source` of the events, which playbooks match on (`on: webhook: NAME`), and
 * prefixes their fingerprints, so alerts of two senders never deduplicate each other.
 *
 * The three tools are served under their own names by default, without auth, until their
 * normalizer is configured: from then on only the configured sources of that normalizer are
 * served. After configuring `am-prod` and `am-staging` with tokens, an open `/hooks/alertmanager`
 * would be a way around them (the shipped supervisor listens to "alertmanager"). Options are complete (the normalizer's defaults overridden key by key) and
 * validated when the table is built, so a request never meets a bad configuration.
 */

type SourceAuth = { bearer: string } | { hmac: { secret: string; header: string } };

export interface SourceConfig {
  name: string;
  normalizer: SourceName;
  /** Complete, validated options for the normalizer. */
  options: unknown;
  auth: null | SourceAuth;
}

export type SourceTable = ReadonlyMap<string, SourceConfig>;

/** A configuration problem, located in the list of sources. */
interface SourceConfigError {
  /** `sources[2].options/serviceFrom/0` */
  path: string;
  message: string;
}

export type SourceTableOutcome = { ok: true; table: SourceTable } | { ok: false; errors: SourceConfigError[] };

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;
/** A shared secret shorter than this is guessable; refuse it at load rather than in an incident. */
const MIN_SECRET_LENGTH = 16;

/**
 * uptime-kuma, alertmanager and observium with their default options and no auth. Not safeguard:
 * its requests lead to L3 tools, so it is served only when configured, with auth.
 */
export function defaultSourceTable(): SourceTable {
  const table = new Map<string, SourceConfig>();
  for (const name of ['uptime-kuma', 'alertmanager', 'observium'] as const) {
    table.set(name, { name, normalizer: name, options: NORMALIZERS[name].defaults, auth: null });
  }
  return table;
}

/**
 * Validates configured sources (from YAML or the environment, so `unknown`) and returns the
 * table: the defaults, each replaced or joined by a configured source of the same name.
 */
export function buildSourceTable(configs: readonly unknown[]): SourceTableOutcome {
  const errors: SourceConfigError[] = [];
  const configured = new Map<string, SourceConfig>();
  configs.forEach((raw, index) => {
    const at = `sources[${index}]`;
    const config = readConfig(raw, at, errors);
    if (config === null) return;
    if (configured.has(config.name)) {
      errors.push({ path: `${at}.name`, message: `source "${config.name}" is configured twice` });
      return;
    }
    configured.set(config.name, config);
  });
  if (errors.length > 0) return { ok: false, errors };
  const used = new Set([...configured.values()].map((c) => c.normalizer));
  const table = new Map<string, SourceConfig>();
  for (const [name, config] of defaultSourceTable()) if (!used.has(config.normalizer)) table.set(name, config);
  for (const [name, config] of configured) table.set(name, config);
  return { ok: true, table };
}

/** Runs the source's normalizer with its options. Never throws (normalizers do not). */
export function normalizeWith(config: SourceConfig, body: unknown, receivedAt: number): NormalizeOutcome {
  const normalizer = NORMALIZERS[config.normalizer] as {
    normalize(body: unknown, options: unknown, receivedAt: number, source: string): NormalizeOutcome;
  };
  return normalizer.normalize(body, config.options, receivedAt, config.name);
}

/** Names a source cannot take: `schedule` is the source of schedule firings in GET /events. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['schedule']);

function readConfig(raw: unknown, at: string, errors: SourceConfigError[]): SourceConfig | null {
  if (!isPlainObject(raw)) {
    errors.push({ path: at, message: 'a source must be an object {name, normalizer, options?, auth?}' });
    return null;
  }
  const before = errors.length;
  for (const key of Object.keys(raw)) {
    if (!['name', 'normalizer', 'type', 'options', 'auth'].includes(key)) {
      errors.push({ path: `${at}.${key}`, message: `unknown key "${key}" (expected name, normalizer or type, options, auth)` });
    }
  }
  const name = raw['name'];
  if (typeof name !== 'string' || !NAME.test(name)) {
    errors.push({ path: `${at}.name`, message: `the name must match ${NAME.source} (it is the path /hooks/<name>)` });
  } else if (RESERVED_NAMES.has(name)) {
    errors.push({ path: `${at}.name`, message: `"${name}" is reserved (the source of schedule firings); choose another name` });
  }
  const normalizer = readNormalizer(raw, at, errors);
  const auth = readAuth(raw['auth'], `${at}.auth`, errors);
  if (normalizer === 'safeguard' && auth === null && errors.length === before) {
    errors.push({ path: `${at}.auth`, message: 'a safeguard source starts approvals of L3 tools: it needs auth (auth: { bearer_env: NAME } or { hmac: ... })' });
  }
  if (errors.length > before || normalizer === null) return null;
  // /hooks/alertmanager is always an Alertmanager: a normalizer's name is not free for another one.
  if (isSourceName(name as string) && name !== normalizer) {
    errors.push({ path: `${at}.name`, message: `"${name as string}" is the name of the ${name as string} normalizer; a ${normalizer} source needs another name` });
    return null;
  }
  const valid = { name: name as string, normalizer };
  const options = readOptions(valid, raw['options'], `${at}.options`, errors);
  if (errors.length > before) return null;
  return { ...valid, options, auth };
}

/** `normalizer:` or its synonym `type:`, one of the two. */
function readNormalizer(raw: Record<string, unknown>, at: string, errors: SourceConfigError[]): SourceName | null {
  if (Object.hasOwn(raw, 'normalizer') && Object.hasOwn(raw, 'type')) {
    errors.push({ path: `${at}.type`, message: 'give either normalizer or type (the same thing), not both' });
    return null;
  }
  const key = Object.hasOwn(raw, 'type') ? 'type' : 'normalizer';
  const normalizer = raw[key];
  if (typeof normalizer === 'string' && isSourceName(normalizer)) return normalizer;
  const known = Object.keys(NORMALIZERS);
  const close = typeof normalizer === 'string' ? closestName(normalizer, known) : null;
  errors.push({
    path: `${at}.${key}`,
    message: `unknown normalizer ${JSON.stringify(normalizer)}${close ? ` (did you mean "${close}"?)` : ''}; known: ${known.join(', ')}`,
  });
  return null;
}

function readOptions(source: { name: string; normalizer: SourceName }, raw: unknown, at: string, errors: SourceConfigError[]): unknown {
  if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
    errors.push({ path: at, message: 'options must be an object (keys override the normalizer defaults)' });
    return null;
  }
  const configured = isPlainObject(raw) ? raw : {};
  const defaults = NORMALIZERS[source.normalizer].defaults as Record<string, unknown>;
  // A generic source emits events under its own name unless told otherwise, and must not claim another's.
  const options: Record<string, unknown> =
    source.normalizer === 'generic' ? { ...defaults, source: source.name, ...configured } : { ...defaults, ...configured };
  const validate = validatorOf(source.normalizer);
  if (!validate(options)) {
    for (const e of validate.errors ?? []) {
      const extra = (e.params as { additionalProperty?: string }).additionalProperty;
      const path = `${at}${e.instancePath}${extra === undefined ? '' : `/${extra}`}`;
      errors.push({ path, message: extra === undefined ? (e.message ?? 'invalid') : `unknown option "${extra}"` });
    }
    return null;
  }
  if (source.normalizer === 'generic' && options['source'] !== source.name) {
    errors.push({ path: `${at}/source`, message: `a generic source's options.source must be its name "${source.name}"` });
    return null;
  }
  return options;
}

function readAuth(raw: unknown, at: string, errors: SourceConfigError[]): SourceAuth | null {
  if (raw === undefined || raw === null) return null;
  if (isPlainObject(raw) && Object.keys(raw).length === 1 && typeof raw['bearer'] === 'string') {
    if (raw['bearer'].length < MIN_SECRET_LENGTH) {
      errors.push({ path: `${at}.bearer`, message: `a bearer token needs at least ${MIN_SECRET_LENGTH} characters` });
      return null;
    }
    return { bearer: raw['bearer'] };
  }
  if (isPlainObject(raw) && Object.keys(raw).length === 1 && isPlainObject(raw['hmac'])) {
    const { secret, header, ...rest } = raw['hmac'];
    const before = errors.length;
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      errors.push({ path: `${at}.hmac.secret`, message: `an HMAC secret must be a text of at least ${MIN_SECRET_LENGTH} characters` });
    }
    if (typeof header !== 'string' || !HEADER_NAME.test(header)) {
      errors.push({ path: `${at}.hmac.header`, message: 'the HMAC header must be a header name (for example x-signature-256)' });
    }
    for (const key of Object.keys(rest)) errors.push({ path: `${at}.hmac.${key}`, message: `unknown key "${key}" (expected secret, header)` });
    if (errors.length > before) return null;
    return { hmac: { secret: secret as string, header: (header as string).toLowerCase() } };
  }
  errors.push({ path: at, message: 'auth must be {bearer: TOKEN} or {hmac: {secret, header}}' });
  return null;
}

const validators = new Map<SourceName, ValidateFunction>();

function validatorOf(name: SourceName): ValidateFunction {
  let validate = validators.get(name);
  if (validate === undefined) {
    validate = new Ajv2020({ strict: true, allErrors: true }).compile(NORMALIZERS[name].optionsSchema);
    validators.set(name, validate);
  }
  return validate;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
