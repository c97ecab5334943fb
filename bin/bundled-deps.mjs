// Module resolution hook (node:module register): a library whose package also ships a
// single-file build is loaded from that build. Same code, same version, fewer modules: Chevrotain's
// entry point imports lodash-es function by function (some 600 modules, about 28 MB of resident
// memory in the server); its bundled lib/chevrotain.mjs is one module (about 7 MB). The bundle is
// not in the package's `exports`, so it is found beside the entry point the package exports.
const BUNDLES = { chevrotain: '../chevrotain.mjs' };

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const bundle = Object.hasOwn(BUNDLES, specifier) ? BUNDLES[specifier] : undefined;
  return bundle === undefined ? resolved : { ...resolved, url: new URL(bundle, resolved.url).href };
}
