/**
 * Steps inside a for_each body write their outputs into each item's scope, not the run's: read
 * from outside the loop they are not there. Maps each such step id to its (innermost) loop.
 * Defensive, like collectIds: it reads steps that may have failed the schema.
 */
export function loopOnlyIds(steps: readonly unknown[], loop: string | null = null, into = new Map<string, string>()): Map<string, string> {
  for (const s of steps) {
    if (typeof s !== 'object' || s === null) continue;
    const step = s as { id?: unknown; parallel?: unknown; steps?: unknown; for_each?: unknown };
    if (typeof step.id === 'string' && loop !== null) into.set(step.id, loop);
    if (Array.isArray(step.parallel)) loopOnlyIds(step.parallel, loop, into);
    if (Array.isArray(step.steps)) {
      const inner = step.for_each !== undefined && typeof step.id === 'string' ? step.id : loop;
      loopOnlyIds(step.steps, inner, into);
    }
  }
  return into;
}

/** The steps whose innermost loop is `loop`: visible to the steps of its body. */
export function idsOfLoop(loop: string, loopOnly: ReadonlyMap<string, string>): string[] {
  return [...loopOnly].filter(([, l]) => l === loop).map(([id]) => id);
}
