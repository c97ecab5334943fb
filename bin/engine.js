#!/usr/bin/env node
// The sources are TypeScript run through tsx: no build step between a clone and `npx engine`.
import { register as registerHook } from 'node:module';
import { register } from 'tsx/esm/api';

registerHook('./bundled-deps.mjs', import.meta.url);
register();
await import(new URL('../cli/main.ts', import.meta.url).href);
