// Files that ship beside the code (schema/, gateway/public/) are found from the project root, so
// the same code works from the sources (tsx) and from the compiled build in dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schema'))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the project root above ${from}`);
  }
}

export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
export const projectPath = (...parts: string[]) => join(projectRoot, ...parts);
