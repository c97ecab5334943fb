/**
 * Chevrotain's runtime, taken from the single-file build that ships in the same package. The
 * package's entry point imports lodash-es function by function, which loads some 600 modules and
 * costs the server about 28 MB of resident memory; the bundled build is the same code (same
 * version) in one module, about 7 MB. Types still come from the package's declarations.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as Api from 'chevrotain';

// The bundle is not in the package's `exports`: find the entry point, then its sibling.
const entry = pathToFileURL(createRequire(import.meta.url).resolve('chevrotain'));
const api = (await import(new URL('../chevrotain.mjs', entry).href)) as typeof Api;

export const { createToken, CstParser, Lexer, tokenMatcher } = api;
