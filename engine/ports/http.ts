/**
 * HTTP probes (a health check of GLPI's API). The adapter sends only to the base URLs its
 * configuration names, follows no redirect to another host, and bounds time and size.
 */
export interface HttpProbe {
  request(request: HttpRequest): Promise<HttpAnswer>;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** A JSON or text body, for POST. */
  body: string | null;
  timeoutMs: number;
  /** The body is cut after this many bytes. */
  maxBytes: number;
  signal?: AbortSignal;
  /** The effect id: an idempotency key. */
  key?: string;
}

export interface HttpAnswer {
  status: number;
  /** The response body as text, at most maxBytes. */
  body: string;
  durationMs: number;
}
