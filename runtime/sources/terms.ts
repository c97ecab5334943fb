/**
 * The small option language that says where a service or a host comes from: an
 * ordered list of terms, the first one that yields a non-empty text wins.
 *
 *   term     := kind | kind ":" argument
 *   const:X  yields the literal X (every source knows it)
 *
 * Each source lists the kinds it understands (see its options.ts); an unknown term
 * yields nothing, and the options schema refuses it at load time.
 */

type TermResolver<Context> = (context: Context, argument: string | undefined) => string | null;

export type TermResolvers<Context> = Readonly<Record<string, TermResolver<Context>>>;

export function splitTerm(term: string): { kind: string; argument: string | undefined } {
  const colon = term.indexOf(':');
  return colon < 0 ? { kind: term, argument: undefined } : { kind: term.slice(0, colon), argument: term.slice(colon + 1) };
}

export function firstTerm<Context>(terms: unknown, resolvers: TermResolvers<Context>, context: Context): string | null {
  if (!Array.isArray(terms)) return null;
  for (const term of terms) {
    if (typeof term !== 'string') continue;
    const { kind, argument } = splitTerm(term);
    let found: string | null = null;
    if (kind === 'const') found = argument ?? null;
    else if (Object.hasOwn(resolvers, kind)) found = resolvers[kind]!(context, argument);
    if (found !== null && found !== '') return found;
  }
  return null;
}

/** JSON Schema pattern for one term, from the regex alternatives a source accepts (`tag:.+`, `name`). */
export function termPattern(alternatives: readonly string[]): string {
  return `^(const:.+|${alternatives.join('|')})$`;
}
