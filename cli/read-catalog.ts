import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDiagnostic, hasErrors } from '../engine/diagnostics/diagnostic.ts';
import { loadCatalog, type IntentCatalog } from '../engine/intents/index.ts';

export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/**
 * Reads `catalog.yaml` and `targets.yaml` from a folder (usually `intents`). Null when they cannot
 * be read or hold errors; the diagnostics go to stderr as file:line:column: CODE: message.
 */
export async function readCatalog(dir: string, io: CommandIo): Promise<IntentCatalog | null> {
  const catalogPath = join(dir, 'catalog.yaml');
  const targetsPath = join(dir, 'targets.yaml');
  let catalogContent: Uint8Array;
  let targetsContent: Uint8Array;
  try {
    [catalogContent, targetsContent] = await Promise.all([readFile(catalogPath), readFile(targetsPath)]);
  } catch (e) {
    io.stderr(`cannot read the intent catalog: ${(e as Error).message}\n`);
    return null;
  }
  const { catalog, diagnostics } = loadCatalog(
    { file: catalogPath, content: catalogContent },
    { file: targetsPath, content: targetsContent },
  );
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  return catalog === null || hasErrors(diagnostics) ? null : catalog;
}
