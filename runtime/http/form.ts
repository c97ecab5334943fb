import { httpError } from './problem.ts';

/**
 * Text fields of a form body, for the one sender that posts forms: Uptime Kuma's form-data
 * option (multipart/form-data, one field `data` holding JSON). Minimal on purpose: text fields
 * only, a few of them, each name once; file parts are refused. The body was already read within
 * the size limit, so everything here works on a bounded buffer.
 */

const MAX_FIELDS = 16;
const MAX_HEADER_BYTES = 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The boundary parameter of a multipart content type (RFC 2046: 1 to 70 characters). */
export function multipartBoundary(contentType: string): string {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) throw invalid('the multipart content type has no boundary parameter');
  return boundary;
}

export function parseMultipartFields(body: Buffer, boundary: string): Map<string, string> {
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  const fields = new Map<string, string>();
  let pos = body.indexOf(delimiter);
  if (pos === -1) throw invalid('the multipart body does not contain its boundary');
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return fields; // "--": the closing delimiter
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++; // transport padding allowed by RFC 2046
    if (!body.subarray(pos, pos + 2).equals(CRLF)) throw invalid('a multipart boundary line is not followed by CRLF');
    const headersStart = pos + 2;
    const headersEnd = body.indexOf(HEADER_END, headersStart);
    if (headersEnd === -1 || headersEnd - headersStart > MAX_HEADER_BYTES) throw invalid('a multipart part has no well-formed headers');
    const name = partName(body.subarray(headersStart, headersEnd).toString('latin1'));
    const contentStart = headersEnd + HEADER_END.length;
    const contentEnd = body.indexOf(nextDelimiter, contentStart);
    if (contentEnd === -1) throw invalid('the multipart body ends without its closing boundary');
    if (fields.has(name)) throw invalid(`the form field "${name}" appears twice`);
    if (fields.size >= MAX_FIELDS) throw invalid(`the form has more than ${MAX_FIELDS} fields`);
    fields.set(name, decodeField(body.subarray(contentStart, contentEnd), name));
    pos = contentEnd + CRLF.length;
  }
}

export function parseUrlencodedFields(body: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(decodeField(body, 'the form body'))) {
    if (fields.has(name)) throw invalid(`the form field "${name}" appears twice`);
    if (fields.size >= MAX_FIELDS) throw invalid(`the form has more than ${MAX_FIELDS} fields`);
    fields.set(name, value);
  }
  return fields;
}

function partName(headers: string): string {
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1 || line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue;
    const value = line.slice(colon + 1);
    if (!/^\s*form-data\s*(;|$)/i.test(value)) throw invalid('a multipart part is not form-data');
    if (/;\s*filename\*?=/i.test(value)) throw invalid('file parts are not accepted, only text fields');
    const match = /;\s*name=(?:"([^"]*)"|([^\s;"]+))/i.exec(value);
    const name = match?.[1] ?? match?.[2];
    if (name === undefined || name === '') break;
    return name;
  }
  throw invalid('a multipart part has no Content-Disposition with a field name');
}

function decodeField(bytes: Uint8Array, name: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw httpError('INVALID_UTF8', `${name === 'the form body' ? name : `the form field "${name}"`} is not valid UTF-8`);
  }
}

function invalid(message: string) {
  return httpError('INVALID_FORM', message);
}
