/**
 * Just enough MIME to read back what nodemailer sends (no mail parser among the dependencies):
 * unfolded headers, the parts of a multipart body, quoted-printable and base64 bodies, and
 * RFC 2047 encoded words in headers.
 */

export interface MimeEntity {
  headers: Map<string, string>;
  /** The decoded body of a leaf part. */
  body: string;
  parts: MimeEntity[];
}

function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : qp(text.replace(/_/g, ' ')),
  );
}

function qp(text: string): string {
  const bytes: number[] = [];
  const s = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export function parseMime(raw: string): MimeEntity {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const rest = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const chunks = rest.split(`--${boundary}`).slice(1);
    const parts = chunks.filter((c) => !c.startsWith('--')).map((c) => parseMime(c.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
    return { headers, body: '', parts };
  }
  const enc = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const body = enc === 'base64' ? Buffer.from(rest.replace(/\s+/g, ''), 'base64').toString('utf8') : enc === 'quoted-printable' ? qp(rest) : rest;
  // Mail lines end in CRLF: read back as the \n the notification had.
  return { headers, body: body.replace(/\r\n/g, '\n'), parts: [] };
}

/** The first leaf part of the given content type. */
export function findPart(e: MimeEntity, type: string): MimeEntity | undefined {
  if (e.parts.length === 0) return (e.headers.get('content-type') ?? 'text/plain').toLowerCase().startsWith(type) ? e : undefined;
  for (const p of e.parts) {
    const found = findPart(p, type);
    if (found) return found;
  }
  return undefined;
}
