import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCatalog, type CatalogLoad } from '../../engine/intents/load-catalog.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Loads a catalog directory the way the CLI does, with file names relative to the repository. */
export function loadCatalogDir(dir: string): CatalogLoad {
  const read = (name: string) => ({ file: `${dir}/${name}`, content: readFileSync(`${ROOT}${dir}/${name}`) });
  return loadCatalog(read('catalog.yaml'), read('targets.yaml'));
}

export function shippedCatalog() {
  const { catalog, diagnostics } = loadCatalogDir('intents');
  if (catalog === null) throw new Error(`shipped catalog does not load: ${JSON.stringify(diagnostics)}`);
  return catalog;
}
