// The intent catalog as the CLI loads it; the engine's own modules import the files directly.
export { loadCatalog } from './load-catalog.ts';
export { type IntentCatalog } from './model.ts';
