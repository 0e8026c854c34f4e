// The gateway builds @apollo/gateway's form of an operation once per document (operation-cache.ts):
// the wrapper is in place on the federation-internals version we run, the same AST gives the same
// Operation and another gives its own, and answers still follow each request's variables.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { parse } from 'graphql';
import type { System } from '../../lib/system/system.js';
import { ok } from '../../lib/testkit/graphql.js';
import { createProduct, logInAdmin } from '../../lib/testkit/story.js';
import { testSystem } from '../../lib/testkit/system.js';
import { cacheGatewayOperations } from '../src/operation-cache.js';

const sys: System = await testSystem();
const require = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));

test('one Operation per schema and operation AST, built on first use', () => {
  assert.equal(cacheGatewayOperations(), true, 'installed (the gateway did it at start-up; again is a no-op)');
  const internals = require('@apollo/federation-internals') as {
    buildSchema(sdl: string): object;
    operationFromDocument(schema: object, document: unknown, options: object): unknown;
  };
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
