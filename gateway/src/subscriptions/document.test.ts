// The subscription → order query rewrite and the per-transition shaping, on a small stand-in schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema, type GraphQLError } from 'graphql';
import { orderAt, planSubscription, type LivePlan, type PlanOptions } from './document.js';

const schema = buildSchema(`
  enum OrderStatus { PENDING WAITING_FOR_PAYMENT PAID FINISHED CANCELLED }
  type Change { status: OrderStatus! at: String! }
  type Payment { status: String! }
  type Customer { orders: [Order!]! }
  type Order { id: ID! status: OrderStatus! statusHistory: [Change!]! payment: Payment customer: Customer! }
  type Query { order(id: ID!): Order }
  type Subscription { orderStatusChanged(orderId: ID!): Order! }
`);

const OPTIONS: PlanOptions = {
  limits: { MAX_QUERY_DEPTH: 12, MAX_ALIASES: 30, MAX_QUERY_TOKENS: 2000, MAX_QUERY_COST: 5000 },
  hideSuggestions: false,
};
const plan = (query: string, variables?: Record<string, unknown>, operationName?: string) => {
  const p = planSubscription(schema, { query, variables, operationName }, OPTIONS);
  assert.ok(!Array.isArray(p), JSON.stringify(p));
  return p as LivePlan;
};
const errors = (query: string, variables?: Record<string, unknown>, options = OPTIONS) =>
  planSubscription(schema, { query, variables }, options) as GraphQLError[];

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

test('the helper key comes from the names in one pass: text in comments and strings does not lengthen it', () => {
  // The attack's shape: a comment repeating the helper key with ever more underscores.
  const comment = `# ${Array.from({ length: 2000 }, (_, i) => `_liveStatusHistory${'_'.repeat(i % 40)}`).join(' ')}\n`;
  assert.equal(plan(`${comment}subscription { orderStatusChanged(orderId: "1") { id } }`).helperKey, '_liveStatusHistory');
  const taken = `_liveStatusHistory${'_'.repeat(5000)}`;
  const p = plan(`subscription { orderStatusChanged(orderId: "1") { ${taken}: id _liveStatusHistory__: status } }`);
  assert.equal(p.helperKey, `${taken}_`);
  assert.ok(p.query.includes(`${p.helperKey}: statusHistory`));
});

test('limits apply to the query the subscription becomes, helper field included', () => {
  const code = (query: string) => errors(query).map((e) => [String(e.extensions.code), e.message]);
  const nested = (levels: number) => `${'customer { orders { '.repeat(levels)}id${' } }'.repeat(levels)}`;
  assert.deepEqual(code(`subscription { orderStatusChanged(orderId: "1") { ${nested(6)} } }`), [['QUERY_TOO_COMPLEX', 'depth 14 exceeds MAX_QUERY_DEPTH 12']]);
  const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: id`).join(' ');
  plan(`subscription { orderStatusChanged(orderId: "1") { ${aliases(28)} } }`);
  // The subscriber's own 29, plus the rewrite's two: `orderStatusChanged: order(…)` and the helper.
  assert.deepEqual(code(`subscription { orderStatusChanged(orderId: "1") { ${aliases(29)} } }`), [['QUERY_TOO_COMPLEX', '31 aliases exceed MAX_ALIASES 30']]);
  const [[costCode, costMessage] = []] = code(`subscription { orderStatusChanged(orderId: "1") { ${nested(3)} } }`);
  assert.equal(costCode, 'QUERY_TOO_COMPLEX');
  assert.match(costMessage ?? '', /^cost \d+ exceeds MAX_QUERY_COST 5000$/);
  assert.deepEqual(code(`subscription { orderStatusChanged(orderId: "1") { ${'id '.repeat(2000)} } }`), [
    ['QUERY_TOO_COMPLEX', 'the document has more than MAX_QUERY_TOKENS 2000 tokens'],
  ]);
});

test('production hides "Did you mean" in validation errors', () => {
  const query = 'subscription { orderStatusChanged(orderId: "1") { statu } }';
  assert.match(errors(query)[0]!.message, /Did you mean "status"/);
  assert.doesNotMatch(errors(query, undefined, { ...OPTIONS, hideSuggestions: true })[0]!.message, /Did you mean/);
});
