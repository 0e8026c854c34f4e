// How an operation is measured: its cost (lists by `first` or the default size, connections,
// _entities by representations, free meta fields), which limit it breaks first, and tokens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { MAX_PAGE } from '../../contracts/pagination.js';
import { DEFAULT_LIST_SIZE, costOf, exceededLimit, tokenLimitExceeded, type QueryLimits } from './query-limits.js';

const schema = buildSchema(`
  scalar _Any
  type Money { amount: Int! currency: String! }
  type Product { id: ID! name: String! price: Money! }
  type ProductConnection { nodes: [Product!]! totalCount: Int! }
  type Order { id: ID! items: [Product!]! customer: Customer! }
  type Customer { id: ID! orders: [Order!]! }
  union _Entity = Product | Customer
  type Query {
    me: Customer
    products(first: Int = 20): ProductConnection!
    _entities(representations: [_Any!]!): [_Entity]!
  }
`);
const LIMITS: QueryLimits = { MAX_QUERY_DEPTH: 12, MAX_ALIASES: 30, MAX_QUERY_TOKENS: 2000, MAX_QUERY_COST: 5000 };

const cost = (query: string, variables?: Record<string, unknown>) => {
  const document = parse(query);
  return costOf(schema, document, getOperationAST(document)!, variables);
};
const exceeded = (query: string, variables?: Record<string, unknown>, limits = LIMITS) => {
  const document = parse(query);
  return exceededLimit(schema, document, getOperationAST(document)!, variables, limits);
};

test('a field costs its items times one plus what each item selects; lists without first count DEFAULT_LIST_SIZE', () => {
  assert.equal(DEFAULT_LIST_SIZE, 20);
  assert.equal(cost('{ me { id } }'), 2);
  // me 1 × (1 + orders 20 × (1 + id + items 20 × (1 + name + price (1 + amount))))
  assert.equal(cost('{ me { orders { id items { name price { amount } } } } }'), 1 + 20 * (1 + 1 + 20 * (1 + 1 + 2)));
});

test('first sizes its connection (the list inside counts once), from a literal, a variable or the default', () => {
  assert.equal(cost('{ products(first: 5) { totalCount nodes { id } } }'), 5 * (1 + 1 + 2));
  assert.equal(cost('query($n: Int) { products(first: $n) { nodes { id } } }', { n: 50 }), 50 * 3);
  assert.equal(cost('{ products { nodes { id } } }'), 20 * 3);
  assert.equal(cost('{ products(first: null) { nodes { id } } }'), DEFAULT_LIST_SIZE * 3);
  // A negative first is an error in the resolver: it must not make the rest of the query cheaper.
  assert.equal(cost('{ products(first: -1000) { nodes { id } } me { id } }'), 2);
  // A first over the largest page is an error in the resolver too: it counts as the largest page.
  assert.equal(cost('{ products(first: 1000000) { nodes { id } } }'), MAX_PAGE * 3);
});

test('_entities costs one item per representation; __typename and introspection cost nothing', () => {
  const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Product { name price { amount currency } } } }';
  assert.equal(cost(entities, { r: Array.from({ length: 7 }, () => ({ __typename: 'Product', id: '1' })) }), 7 * (1 + 1 + 3));
  assert.equal(cost('{ __typename me { __typename } __schema { types { name fields { name } } } }'), 1);
});

test('one parsed operation is counted again for each new first or number of representations, never from a stale count', () => {
  const cost1 = (query: string) => {
    const document = parse(query);
    const operation = getOperationAST(document)!;
    return (variables: Record<string, unknown>) => costOf(schema, document, operation, variables);
  };
  const entities = cost1('query($r: [_Any!]!, $id: ID) { _entities(representations: $r) { ... on Product { name } } }');
  const reps = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Product', id: String(i) }));
  assert.equal(entities({ r: reps(3), id: 'a' }), 3 * 2);
  assert.equal(entities({ r: reps(3), id: 'b' }), 3 * 2, 'other ids, other irrelevant variables: the same count');
  assert.equal(entities({ r: reps(40) }), 40 * 2);
  assert.equal(entities({ r: reps(3) }), 3 * 2);
  const page = cost1('query($n: Int, $m: Int) { products(first: $n) { nodes { id } } a: products(first: $m) { totalCount } }');
  assert.equal(page({ n: 5, m: 1 }), 5 * 3 + 1 * 2);
  assert.equal(page({ n: 50, m: 1 }), 50 * 3 + 1 * 2);
  assert.equal(page({ n: 5, m: 7 }), 5 * 3 + 7 * 2);
  assert.equal(page({ n: 'many' }), null, 'a value that does not coerce is never counted');
});

test('variables that do not coerce are left to execution, which refuses them', () => {
  assert.equal(cost('query($n: Int) { products(first: $n) { nodes { id } } }', { n: 'many' }), null);
  assert.equal(exceeded('query($n: Int) { products(first: $n) { nodes { id } } }', { n: 'many' }), null);
});

test('depth, then aliases, then cost, each named by its setting', () => {
  const cycle = (n: number) => `${'orders { customer { '.repeat(n)}id${' } }'.repeat(n)}`;
  assert.equal(exceeded(`{ me { ${cycle(6)} } }`), 'depth 14 exceeds MAX_QUERY_DEPTH 12');
  // Fragments count as the fields they hold, not as a level of their own.
  const fragmented = `{ me { ...F } } fragment F on Customer { ... on Customer { ${cycle(5)} } }`;
  assert.equal(exceeded(fragmented, undefined, { ...LIMITS, MAX_QUERY_COST: 100_000_000 }), null);
  assert.equal(exceeded(`{ ${Array.from({ length: 31 }, (_, i) => `a${i}: me { id }`).join(' ')} }`), '31 aliases exceed MAX_ALIASES 30');
  assert.equal(exceeded(`{ me { ${cycle(3)} } }`), 'cost 24841 exceeds MAX_QUERY_COST 5000');
  assert.equal(exceeded(`{ me { ${cycle(3)} } }`, undefined, { ...LIMITS, MAX_QUERY_COST: 24_841 }), null);
});

test('fragments spread into each other until the selections cannot be counted are refused by cost', () => {
  const fragments = Array.from({ length: 20 }, (_, i) => `fragment F${i + 1} on Customer { ...F${i} ...F${i} }`).join(' ');
  assert.match(exceeded(`{ me { ...F20 } } fragment F0 on Customer { id } ${fragments}`)!, /^cost exceeds MAX_QUERY_COST 5000 \(over 10000 selections/);
});

test('tokens: over the limit is named, a syntax error within it is not, and comments are not tokens', () => {
  assert.equal(tokenLimitExceeded(`{ me { ${'id '.repeat(2000)} } }`, LIMITS), 'the document has more than MAX_QUERY_TOKENS 2000 tokens');
  assert.equal(tokenLimitExceeded('{ me { id', LIMITS), null);
  assert.equal(tokenLimitExceeded(`# ${'x'.repeat(100_000)}\n{ me { id } }`, LIMITS), null);
});
