#!/usr/bin/env node
// Runs one TypeScript file (benchmarks, generators) through tsx.
import { register as registerHook } from 'node:module';
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

registerHook('./bundled-deps.mjs', import.meta.url);
register();
const file = process.argv[2];
if (!file) {
  console.error('usage: run-ts.js FILE.ts [args...]');
  process.exit(2);
}
await import(pathToFileURL(resolve(file)).href);
