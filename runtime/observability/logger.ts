import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

/**
 * The service logger: JSON lines (one object per line, for journald, Loki or jq). Credentials
 * that could ride along in a logged request or error (Authorization, cookies, signature and token
 * headers) are replaced before the line is written.
 */

export const REDACTED_PATHS = [
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

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const config = {
    level: options.level,
    base: { service: 'engine' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}
