import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLISHED_SCHEMAS, schemaJson } from './all.ts';

// `npm run schemas`: the TypeBox sources are the single truth; these files are for editors.
for (const { file, schema } of PUBLISHED_SCHEMAS) {
  writeFileSync(join(import.meta.dirname, file), schemaJson(schema));
  console.log(`wrote schemas/${file}`);
}
