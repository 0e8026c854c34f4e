// The committed generated files are what the generators make from schema/ today:
// subgraphs/*/src/generated/graphql.ts from `npm run codegen`, schema/supergraph.graphql from `npm run compose`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { generate } from '@graphql-codegen/cli';
import codegenConfig from '../../codegen.js';
import { composeSupergraph, supergraphPath } from '../../lib/platform/schema.js';
import { SERVICES } from '../../lib/platform/config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The first line where two texts part, with a little context, so a stale file is easy to spot. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `first difference at line ${at + 1}:\n  generated: ${JSON.stringify(a[at])}\n  committed: ${JSON.stringify(b[at])}`;
}

test('codegen from schema/*.graphql reproduces every committed subgraphs/*/src/generated/graphql.ts', async () => {
  // saveToFile=false: the output stays in memory and nothing in the working tree changes.
  const outputs: { filename: string; content: string }[] = await generate({ ...codegenConfig, cwd: root, silent: true, verbose: false }, false);
  const byFile = new Map(outputs.map((o) => [o.filename.replace(/^\.\//, ''), o.content]));
  assert.deepEqual(
    [...byFile.keys()].sort(),
    SERVICES.map((s) => `subgraphs/${s}/src/generated/graphql.ts`).sort(),
    'codegen.ts generates one file per subgraph',
  );
  for (const [file, generated] of byFile) {
    const committed = readFileSync(`${root}${file}`, 'utf8');
    assert.ok(generated === committed, `${file} is stale: run \`npm run codegen\` and commit the result.\n${firstDifference(generated, committed)}`);
  }
});

test('composing the four subgraph SDLs succeeds and reproduces the committed schema/supergraph.graphql', () => {
  let composed = '';
  assert.doesNotThrow(() => {
    composed = composeSupergraph();
  }, 'composition has errors');
  assert.ok(composed.length > 0);
  const committed = readFileSync(supergraphPath, 'utf8');
  assert.ok(
    composed === committed,
    `schema/supergraph.graphql is stale: run \`npm run compose\` and commit the result.\n${firstDifference(composed, committed)}`,
  );
});
