import { EngineError } from '../../../engine/errors.ts';

/** Redis error replies that say "try again later", not "this request is wrong". */
const TRANSIENT_REPLIES = ['LOADING', 'BUSY', 'TRYAGAIN', 'CLUSTERDOWN', 'MASTERDOWN', 'READONLY', 'OOM', 'NOREPLICAS'];

/**
 * Maps what an ioredis call rejects with to an EngineError. A reply from the server is a wrong
 * request (not retryable) unless Redis says it is busy; anything else (connection refused or lost,
 * retries exhausted, offline queue disabled, command timeout) means the store is unreachable:
 * STATE_UNAVAILABLE, retryable. `keyOf(i)` names the key of gate operation i for a script error.
 */
export function stateError(e: unknown, keyOf: (opNumber: number) => string | undefined = () => undefined): EngineError {
  // instanceof, not isEngineError: driver errors carry a string `code` too (ECONNREFUSED, SQLSTATE).
  if (e instanceof EngineError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.name !== 'ReplyError') {
    return new EngineError('STATE_UNAVAILABLE', `Redis is unreachable: ${err.message}`, { retryable: true, cause: err });
  }
  const message = err.message;
  const [word = '', rest = ''] = splitFirstWord(message);
  if (word === 'STATE_WRONG_TYPE') {
    const key = keyOf(Number.parseInt(rest, 10));
    const which = key === undefined ? 'a key' : `key ${JSON.stringify(key)}`;
    return new EngineError('STATE_WRONG_TYPE', `${which} holds a value, not a rate window`, { cause: err });
  }
  if (word === 'WRONGTYPE') {
    return new EngineError('STATE_WRONG_TYPE', 'a key under the store prefix was written by something else', { cause: err });
  }
  if (word === 'STATE_BAD_OP') return new EngineError('STATE_BAD_OP', `unknown gate operation ${rest}`, { cause: err });
  if (TRANSIENT_REPLIES.includes(word)) {
    return new EngineError('STATE_UNAVAILABLE', `Redis cannot serve now: ${message}`, { retryable: true, cause: err });
  }
  return new EngineError('STATE_ERROR', `Redis refused the command: ${message}`, { cause: err });
}

function splitFirstWord(message: string): [string, string] {
  const space = message.indexOf(' ');
  return space < 0 ? [message, ''] : [message.slice(0, space), message.slice(space + 1)];
}
