/**
 * What a YAML file in a team's repository is, read from its content: lint and test treat each
 * kind as what it is, and never report a catalog or a test file as a broken playbook.
 *
 * - `playbook`: `kind: Playbook`, or `apiVersion: heal/...`; also a mapping without apiVersion
 *   and kind that has `steps:` or `on:` (a playbook that forgot its header is still linted, so
 *   the schema says what is missing instead of the file being skipped);
 * - `tests`: no apiVersion or kind, and `playbook:` or `cases:` (playbooks/tests/*.yaml);
 * - `catalog`, `targets`: catalog.yaml and targets.yaml without apiVersion or kind, by name;
 * - `tools`: a catalog.yaml in a folder named tools (tools/catalog.yaml, the tool catalog);
 * - `unknown`: anything else (another tool's YAML, expression case files): skipped with a note.
 */
export type DocumentKind = 'playbook' | 'tests' | 'catalog' | 'tools' | 'targets' | 'unknown';

const API_VERSION_PREFIX = 'heal/';

export function documentKind(value: unknown, fileName: string): DocumentKind {
  const base = fileName.replace(/^.*[\\/]/, '');
  // A targets file with only comments defines no sets (null); the catalog loader accepts it.
  if (value === null && /^targets\.ya?ml$/.test(base)) return 'targets';
  const toolCatalog = /^catalog\.ya?ml$/.test(base) && /(^|[\\/])tools[\\/][^\\/]+$/.test(fileName);
  // A tool catalog with only comments lists no tools; the tool catalog loader accepts it.
  if (value === null && toolCatalog) return 'tools';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'unknown';
  const doc = value as Record<string, unknown>;
  const apiVersion = doc['apiVersion'];
  const kind = doc['kind'];
  if (kind === 'Playbook' || (typeof apiVersion === 'string' && apiVersion.startsWith(API_VERSION_PREFIX))) return 'playbook';
  if (apiVersion !== undefined || kind !== undefined) return 'unknown';
  if (toolCatalog) return 'tools';
  if (/^catalog\.ya?ml$/.test(base)) return 'catalog';
  if (/^targets\.ya?ml$/.test(base)) return 'targets';
  if ('steps' in doc || 'on' in doc) return 'playbook';
  if ('playbook' in doc || 'cases' in doc) return 'tests';
  return 'unknown';
}

/** The note for a skipped file: what it looked like, so a mistyped header is easy to spot. */
export function skippedReason(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not a heal document (not a mapping with apiVersion and kind); skipped';
  }
  const doc = value as Record<string, unknown>;
  if (doc['apiVersion'] !== undefined || doc['kind'] !== undefined) {
    return `not a heal document (apiVersion ${JSON.stringify(doc['apiVersion'] ?? null)}, kind ${JSON.stringify(doc['kind'] ?? null)}); skipped`;
  }
  return 'not a heal document (no apiVersion or kind, and not a test, catalog or targets file); skipped';
}
