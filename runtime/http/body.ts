import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import { multipartBoundary, parseMultipartFields, parseUrlencodedFields } from './form.ts';
import { parseJsonText } from './json-text.ts';
import { httpError } from './problem.ts';

/**
 * A webhook body, in three stages so each check runs as early as it can: the media type from the
 * headers (before reading anything), the bytes within the size limit (an HMAC is checked on
 * them), then the JSON document.
 */

export type BodyKind = { type: 'json' } | { type: 'urlencoded' } | { type: 'multipart'; boundary: string };

export interface BodyRules {
  /** Largest body read, in bytes. */
  bodyBytes: number;
  maxDepth: number;
  /**
   * The form field holding the JSON document when the source posts forms (Uptime Kuma's
   * form-data option: `data`), or null when only JSON is accepted.
   */
  formField: string | null;
}

const JSON_TYPE = /^application\/(?:json|[a-z0-9!#$&^_.+-]+\+json)$/;

/** The kind of body from Content-Type (and Content-Encoding); 415 for anything else. */
export function bodyKind(headers: IncomingMessage['headers'], rules: BodyRules): BodyKind {
  const encoding = (headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    throw unsupported(`Content-Encoding "${encoding.slice(0, 64)}" is not accepted; send the body uncompressed`, 'content-encoding');
  }
  const contentType = headers['content-type'] ?? '';
  const [mediaType = '', ...params] = contentType.split(';');
  const type = mediaType.trim().toLowerCase();
  const charset = /^\s*charset\s*=\s*"?([^";]+)"?\s*$/i.exec(params.find((p) => /^\s*charset\s*=/i.test(p)) ?? '')?.[1];
  if (charset !== undefined && !['utf-8', 'utf8'].includes(charset.toLowerCase())) {
    throw unsupported(`charset "${charset.slice(0, 64)}" is not accepted; send UTF-8`, 'content-type');
  }
  if (JSON_TYPE.test(type)) return { type: 'json' };
  const forms = rules.formField !== null;
  if (forms && type === 'application/x-www-form-urlencoded') return { type: 'urlencoded' };
  if (forms && type === 'multipart/form-data') return { type: 'multipart', boundary: multipartBoundary(contentType) };
  const accepted = forms ? 'application/json, multipart/form-data or application/x-www-form-urlencoded' : 'application/json';
  throw unsupported(`Content-Type "${(type || 'none').slice(0, 100)}" is not accepted; this endpoint takes ${accepted}`, 'content-type');
}

/** The raw bytes, at most `bodyBytes` of them (413 beyond, without reading the rest). */
export async function readBodyBytes(req: IncomingMessage, bodyBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  try {
    return await getRawBody(req, { limit: bodyBytes, ...(declared === undefined ? {} : { length: declared }) });
  } catch (e) {
    const error = e as { type?: string; status?: number; message?: string };
    if (error.type === 'entity.too.large') {
      throw httpError('BODY_TOO_LARGE', `the body is larger than ${bodyBytes} bytes`, { close: true }, e);
    }
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
      // Aborted uploads and a Content-Length that does not match the bytes sent.
      throw httpError('BAD_REQUEST_BODY', `the body could not be read: ${error.message ?? 'unknown reason'}`, { close: true }, e);
    }
    throw e;
  }
}

/** The JSON document the body carries, directly or in the source's form field. */
export function parseBody(kind: BodyKind, bytes: Buffer, rules: BodyRules): unknown {
  if (kind.type === 'json') return parseJsonText(decodeUtf8(bytes), rules.maxDepth);
  const fields = kind.type === 'multipart' ? parseMultipartFields(bytes, kind.boundary) : parseUrlencodedFields(bytes);
  const field = rules.formField ?? '';
  const text = fields.get(field);
  if (text === undefined) {
    const names = [...fields.keys()].map((n) => JSON.stringify(n.slice(0, 64))).join(', ') || 'none';
    throw httpError('INVALID_FORM', `the form has no field "${field}" holding the JSON document (fields: ${names})`, { body: { path: field } });
  }
  return parseJsonText(text, rules.maxDepth, `the form field "${field}"`);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw httpError('INVALID_UTF8', 'the body is not valid UTF-8');
  }
}

/** 415, naming the header at fault as the path (`headers.content-type`). */
function unsupported(message: string, header: 'content-type' | 'content-encoding') {
  return httpError('UNSUPPORTED_MEDIA_TYPE', message, { body: { path: `headers.${header}` } });
}
