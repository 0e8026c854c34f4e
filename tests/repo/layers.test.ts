// The folders state the dependency rule, and this test holds every import to it:
//   lib/contracts  → nothing but itself
//   lib/platform   → itself and lib/contracts
//   subgraphs/<x>, gateway, apps/<x> → lib/platform, lib/contracts and themselves: never each other
//   lib/system     → everything it starts;  lib/testkit, bench and every test → anything but bin/
//   nothing        → bin/
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../../lib/platform/paths.js';

interface Import {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(projectRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'generated' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const SPECIFIER = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(join(projectRoot, file), 'utf8');
  return [...text.matchAll(SPECIFIER)].map((m) => ({ from: file, to: relative(projectRoot, resolve(projectRoot, dirname(file), m[1]!)) }));
}

/** The layer a path belongs to: `subgraphs/order`, `apps/stripe-emulator`, `lib/platform`, `bin` … */
function layerOf(path: string): string {
  const [top, second] = path.split('/');
  if (top === 'lib' || top === 'subgraphs' || top === 'apps') return `${top}/${second}`;
  return top!;
}

const shared = ['lib/platform', 'lib/contracts'];
const allowed: Record<string, (target: string, to: string) => boolean> = {
  'lib/contracts': (target) => target === 'lib/contracts',
  'lib/platform': (target) => shared.includes(target),
  gateway: (target) => target === 'gateway' || shared.includes(target),
};
const ownOrShared = (layer: string) => (target: string) => target === layer || shared.includes(target);

const files = ['lib', 'subgraphs', 'gateway', 'apps', 'bin', 'bench', 'tests'].flatMap(sourceFiles).filter((f) => !f.includes('/generated/'));

test('every import follows the dependency rule the folders state', () => {
  const broken: string[] = [];
  for (const file of files) {
    const layer = layerOf(file);
    // Tests look at a system from outside (whole-system stories, another subgraph's tables).
    const isTest = file.endsWith('.test.ts') || file.includes('/test/');
    const rule = isTest ? null : (allowed[layer] ?? (layer.startsWith('subgraphs/') || layer.startsWith('apps/') ? ownOrShared(layer) : null));
    for (const { to } of importsOf(file)) {
      const target = layerOf(to);
      if (target === 'bin' && layer !== 'bin') broken.push(`${file} → ${to} (nothing imports bin/)`);
      else if (rule && !rule(target, to)) broken.push(`${file} → ${to} (${layer} may not import ${target})`);
    }
  }
  assert.deepEqual(broken, []);
});

test('the rule can fail: a subgraph importing another is caught', () => {
  const layer = 'subgraphs/order';
  assert.equal(ownOrShared(layer)(layerOf('subgraphs/inventory/src/app.ts')), false);
  assert.equal(allowed['lib/platform']!(layerOf('subgraphs/order/src/app.ts'), 'subgraphs/order/src/app.ts'), false);
  assert.equal(allowed['lib/contracts']!(layerOf('lib/platform/errors.ts'), 'lib/platform/errors.ts'), false);
});

test('no source file outside generated code is over 300 lines', () => {
  const long = files.map((f) => ({ f, lines: readFileSync(join(projectRoot, f), 'utf8').split('\n').length - 1 })).filter(({ lines }) => lines > 300);
  assert.deepEqual(
    long.map(({ f, lines }) => `${f}: ${lines}`),
    [],
  );
});
