// The subscription → order query rewrite and the per-transition shaping, on a small stand-in schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema, type GraphQLError } from 'graphql';
import { orderAt, planSubscription, type LivePlan } from './document.js';

const schema = buildSchema(`
  enum OrderStatus { PENDING WAITING_FOR_PAYMENT PAID FINISHED CANCELLED }
  type Change { status: OrderStatus! at: String! }
  type Payment { status: String! }
  type Order { id: ID! status: OrderStatus! statusHistory: [Change!]! payment: Payment }
  type Query { order(id: ID!): Order }
  type Subscription { orderStatusChanged(orderId: ID!): Order! }
`);

const plan = (query: string, variables?: Record<string, unknown>, operationName?: string) => {
  const p = planSubscription(schema, { query, variables, operationName });
  assert.ok(!Array.isArray(p), JSON.stringify(p));
  return p as LivePlan;
};
const errors = (query: string, variables?: Record<string, unknown>) => planSubscription(schema, { query, variables }) as GraphQLError[];

test('keeps aliases, variables and fragments, and adds one helper field', () => {
  const p = plan(
    `subscription S($id: ID!) { o: orderStatusChanged(orderId: $id) { s: status ...F ... on Order { h: statusHistory { status } } } }
     fragment F on Order { status payment { status } }
     query Other { order(id: "x") { id } }`,
    { id: 'o-1' },
    'S',
  );
  assert.equal(p.orderId, 'o-1');
  assert.equal(p.responseKey, 'o');
  assert.match(p.query, /^query S\(\$id: ID!\) \{\s+o: order\(id: \$id\)/);
  assert.match(p.query, /_liveStatusHistory: statusHistory \{\s+status\s+\}/);
  assert.match(p.query, /fragment F on Order/);
  assert.doesNotMatch(p.query, /Other/);
  assert.deepEqual(
    [...p.orderFields],
    [
      ['s', 'status'],
      ['status', 'status'],
      ['payment', 'payment'],
      ['h', 'statusHistory'],
    ],
  );
});

test('shapes an order as of one transition and strips the helper', () => {
  const p = plan(`subscription { orderStatusChanged(orderId: "o-1") { s: status status h: statusHistory { status } } }`);
  const fetched = { s: 'FINISHED', status: 'FINISHED', h: [{ status: 'PENDING' }, { status: 'PAID' }, { status: 'FINISHED' }], _liveStatusHistory: [] };
  assert.deepEqual(orderAt(p, fetched, 2, 'PAID'), { s: 'PAID', status: 'PAID', h: [{ status: 'PENDING' }, { status: 'PAID' }] });
});

test('refuses what it cannot follow, with codes', () => {
  assert.equal(errors('subscription {')[0]!.extensions.code, 'GRAPHQL_PARSE_FAILED');
  assert.equal(errors('subscription { orderStatusChanged(orderId: "1") { nope } }')[0]!.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.equal(errors('query { order(id: "1") { id } }')[0]!.extensions.code, 'BAD_USER_INPUT');
  assert.equal(errors('subscription($id: ID!) { orderStatusChanged(orderId: $id) { id } }', {})[0]!.extensions.code, 'BAD_USER_INPUT');
});

test('a helper name the subscriber already uses is avoided', () => {
  const p = plan(`subscription { orderStatusChanged(orderId: "1") { _liveStatusHistory: id } }`);
  assert.equal(p.helperKey, '_liveStatusHistory_');
});
