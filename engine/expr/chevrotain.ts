/**
 * The parts of Chevrotain the expression language uses, in one place. `bin/` loads the package's
 * single-file build in its stead (bin/bundled-deps.mjs): the same API in far fewer modules.
 */
export { createToken, CstParser, Lexer, tokenMatcher } from 'chevrotain';
