import { join } from 'node:path';

/** The repository: the shipped intent catalog and prompts are the tests' too. */
export const REPO = join(import.meta.dirname, '../..');

/**
 * The runtime tests' playbooks (test/fixtures/playbooks), never the team's playbooks/ folder:
 * adding or editing a flow there must not change what the engine's own tests see.
 */
export const FIXTURE_PLAYBOOKS = join(REPO, 'test/fixtures/playbooks');

/** The configuration variables that point a server at the fixture playbooks. */
export function fixtureEnv(): Record<string, string> {
  return { ENGINE_ROOT: REPO, PLAYBOOKS_DIR: FIXTURE_PLAYBOOKS };
}
