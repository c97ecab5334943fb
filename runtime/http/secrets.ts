import type { HttpDeps } from './deps.ts';

/**
 * The secret values the HTTP layer knows (each source's bearer token or HMAC secret, the read
 * token): masked wherever they would be shown or kept, as a run's trace masks its secrets. A
 * sender that puts its own token in a body must not find it in GET /events.
 */
export function knownSecrets(deps: Pick<HttpDeps, 'sources' | 'readAuth'> & { approvals?: { bearer: string | null } | null }): string[] {
  const secrets: string[] = [];
  for (const source of deps.sources.values()) {
    if (source.auth === null) continue;
    secrets.push('bearer' in source.auth ? source.auth.bearer : source.auth.hmac.secret);
  }
  if (deps.readAuth) secrets.push(deps.readAuth.bearer);
  if (deps.approvals?.bearer) secrets.push(deps.approvals.bearer);
  return secrets;
}
