import { pino, type DestinationStream, type Logger } from 'pino';
import { EngineError } from '../../engine/errors.ts';

/**
 * The service logger: JSON lines (one object per line, for journald, Loki or jq). Credentials
 * that could ride along in a logged request or error (Authorization, cookies, signature and token
 * headers) are replaced before the line is written.
 */

const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-signature"]',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'authorization',
  'token',
  'secret',
  'password',
  '*.token',
  '*.secret',
  '*.password',
];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface LoggerOptions {
  /** One of LOG_LEVELS (a text, as it comes from LOG_LEVEL). */
  level: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  if (!(LOG_LEVELS as readonly string[]).includes(options.level)) {
    throw new EngineError('CONFIG_INVALID', `log level "${options.level}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const config = {
    level: options.level,
    base: { service: 'engine' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}
