// apollo-gateway.ts on the versions we run: the gateway's copy of the package has plain
// properties, not getters; the same AST gives the same Operation and another gives its own; and
// answers through the gateway still follow each request's variables.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { parse } from 'graphql';
import type { System } from '../../lib/system/system.js';
import { ok } from '../../lib/testkit/graphql.js';
import { createProduct, logInAdmin } from '../../lib/testkit/story.js';
import { testSystem } from '../../lib/testkit/system.js';
import { trimFederationInternals } from '../src/apollo-gateway.js';

const sys: System = await testSystem();
const require = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));

test('plain exports, and one Operation per schema and operation AST, built on first use', () => {
  assert.equal(trimFederationInternals(), true, 'in place (the gateway did it as it loaded; again is a no-op)');
  const internals = require('@apollo/federation-internals') as {
    buildSchema(sdl: string): object;
    operationFromDocument(schema: object, document: unknown, options: object): unknown;
  };
  for (const name of ['isLeafType', 'buildSchema', 'Operation'])
    assert.ok(Object.getOwnPropertyDescriptor(internals, name)?.value, `${name} is a plain property`);
  const schema = internals.buildSchema('type Query { a: Int b: Int }');
  const document = parse('query($x: Boolean!) { a b @include(if: $x) }');
  const asExecuted = () => ({ kind: 'Document', definitions: [...document.definitions] }); // a fresh wrapper per request, as @apollo/gateway makes
  const first = internals.operationFromDocument(schema, asExecuted(), { validate: false });
  assert.equal(internals.operationFromDocument(schema, asExecuted(), { validate: false }), first);
  assert.notEqual(internals.operationFromDocument(schema, parse('query($x: Boolean!) { a b @include(if: $x) }'), { validate: false }), first);
  assert.notEqual(internals.operationFromDocument(internals.buildSchema('type Query { a: Int b: Int }'), asExecuted(), { validate: false }), first);
  assert.notEqual(internals.operationFromDocument(schema, asExecuted(), {}), first, 'planning’s call is not cached');
});

test('through the gateway, a cached operation still answers each request by its variables', async () => {
  const admin = await logInAdmin(sys);
  const id = await createProduct(admin, 3, 1234);
  const query = `query($id: ID!, $price: Boolean!, $noName: Boolean!) {
    product(id: $id) { ...P label: name @skip(if: $noName) price @include(if: $price) { amount } } }
    fragment P on Product { id }`;
  const ask = (price: boolean, noName: boolean) => ok(sys.gateway.url, query, { id, price, noName });
  assert.deepEqual(await ask(true, false), { product: { id, label: (await ask(false, false)).product.label, price: { amount: 1234 } } });
  assert.deepEqual(await ask(false, true), { product: { id } });
  assert.deepEqual(Object.keys((await ask(false, false)).product), ['id', 'label']);
  assert.deepEqual(await ask(true, true), { product: { id, price: { amount: 1234 } } });
});
