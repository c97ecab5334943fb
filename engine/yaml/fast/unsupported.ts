/**
 * Thrown (a constant, so no stack trace is captured) when the fast path meets anything outside
 * the subset it reads; the loader then reads the file with the full YAML parser, which also
 * reports every error. The fast path never decides that a file is wrong, only that it is easy.
 */
export const Unsupported: { readonly unsupported: true } = Object.freeze({ unsupported: true });
