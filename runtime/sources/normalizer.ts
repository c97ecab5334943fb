import type { TSchema } from '@sinclair/typebox';
import { alertmanager } from './alertmanager/normalize.ts';
import { generic } from './generic/normalize.ts';
import { observium } from './observium/normalize.ts';
import type { NormalizeOutcome } from './outcome.ts';
import { safeguard } from './safeguard/normalize.ts';
import { uptimeKuma } from './uptime-kuma/normalize.ts';

export type { NormalizeOutcome } from './outcome.ts';
export { NORMALIZE_FAILURES } from './outcome.ts';

/**
 * A webhook source: a pure function from a parsed JSON body to normalized events.
 * No I/O, no clock (the reception time is passed in), never throws: a body it cannot
 * use is a refusal with a code, a reason and the path of the field.
 */
export interface Normalizer<Options> {
  /** The normalizer's name, and the `source` of its events unless a configured source names them. */
  readonly source: string;
  /** Complete options; configuration overrides them key by key (`{ ...defaults, ...configured }`). */
  readonly defaults: Options;
  /** JSON Schema of the options, for the configuration loader to validate them at load time. */
  readonly optionsSchema: TSchema;
  /**
   * `receivedAt`: epoch ms of reception from the injected clock (future-timestamp check, generic
   * fallback time). `source`: the configured source's name, which the events carry as `source`
   * and as the prefix of their fingerprint (default: the normalizer's name; generic: options.source).
   */
  normalize(body: unknown, options: Options, receivedAt: number, source?: string): NormalizeOutcome;
}

/** Every source, in one literal table: no registration at import time. */
export const NORMALIZERS = {
  'uptime-kuma': uptimeKuma,
  alertmanager,
  observium,
  generic,
  safeguard,
} as const;

export type SourceName = keyof typeof NORMALIZERS;

export function isSourceName(name: string): name is SourceName {
  return Object.hasOwn(NORMALIZERS, name);
}
