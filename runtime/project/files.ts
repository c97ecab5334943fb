import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A YAML file to read, and whether the user named it (an explicit file is never skipped as unknown). */
export interface YamlFile {
  path: string;
  explicit: boolean;
}

/** Folders a walk never enters: installed packages, and dot-folders (.git, .github, .cache...). */
function skippedFolder(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/**
 * The YAML files under each path: a file given by name is taken as it is; a folder is walked
 * for `.yaml` and `.yml` files in name order, skipping node_modules and dot-folders, and each
 * real folder once (a symlink loop ends).
 */
export function yamlFiles(paths: readonly string[]): YamlFile[] {
  const out: YamlFile[] = [];
  const seen = new Set<string>();
  const visited = new Set<string>();
  const add = (path: string, explicit: boolean) => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ path, explicit });
  };
  const walk = (dir: string) => {
    const real = realpathSync(dir);
    if (visited.has(real)) return;
    visited.add(real);
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) {
        if (!skippedFolder(name)) walk(full);
      } else if (/\.ya?ml$/.test(name)) add(full, false);
    }
  };
  for (const path of paths) {
    if (!existsSync(path)) continue;
    if (statSync(path).isDirectory()) walk(path);
    else add(path, true);
  }
  return out;
}
