// Query limits, one implementation for the gateway (before planning), every subgraph (their ports
// are reachable too) and the subscription path: tokens, depth, aliases and cost, each named by its
// setting when exceeded. GraphQL Armor measures depth and aliases (fragments followed once) and
// hides "Did you mean …" in production; graphql-query-complexity adds up the cost, because Armor's
// cost-limit weighs by depth and cannot tell `first: 100` from `first: 1`.
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  Lexer,
  Source,
  TokenKind,
  getNullableType,
  getVariableValues,
  isListType,
  validate,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Config } from '../config.js';
import { MAX_PAGE } from '../../contracts/pagination.js';

export type QueryLimits = Pick<Config, 'MAX_QUERY_DEPTH' | 'MAX_ALIASES' | 'MAX_QUERY_TOKENS' | 'MAX_QUERY_COST'>;

/**
 * How many items a list without a `first` argument is assumed to hold (Customer.orders,
 * Order.items, …): the API's own default page size (`products(first: Int = 20)`).
 */
export const DEFAULT_LIST_SIZE = 20;

/**
 * The cost of a field is the number of values it may resolve: items × (1 + the cost of what each
 * item selects). Items are 1 for a single object or scalar; `first` (or its default) for a field
 * that takes one, which then covers the list inside its connection (`products.nodes`);
 * DEFAULT_LIST_SIZE for any other list. `__typename` and introspection cost nothing (the schema is
 * in memory, and production turns introspection off).
 *
 * `_entities(representations:)` counts one item per representation. Those are the gateway's own
 * fetches: each representation is an object the gateway already holds, so their number is the real
 * fan-out, and each costs what its selection costs, as in the client's query (whose limits the
 * gateway checked with the same estimate). A client's query within MAX_QUERY_COST only makes a
 * subgraph fetch over it when the data is far larger than the estimate (an entity fetch of
 * `Product { name price { amount currency } }` costs 6 per product: the default limit takes 1,666
 * of them in one fetch); the same fetch sent straight to a subgraph port is refused the same way.
 */
const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (field.name.startsWith('__') || type.name.startsWith('__')) return 0;
  return itemsOf(type.name, field, args) * (1 + childComplexity);
};

function itemsOf(parentType: string, field: Parameters<ComplexityEstimator>[0]['field'], args: Record<string, unknown>): number {
  if (field.name === '_entities' && Array.isArray(args.representations)) return args.representations.length;
  if (field.args.some((a) => a.name === 'first')) return typeof args.first === 'number' ? Math.min(Math.max(0, args.first), MAX_PAGE) : DEFAULT_LIST_SIZE;
  if (!isListType(getNullableType(field.type))) return 1;
  return parentType.endsWith('Connection') ? 1 : DEFAULT_LIST_SIZE;
}

/** Selections evaluated (fragments expanded at each use) before the cost counts as unbounded. */
const MAX_EVALUATED_SELECTIONS = 10_000;

interface Shape {
  depth: number;
  aliases: number;
}
// Depth and aliases don't depend on variables: measured once per parsed document (Apollo keeps
// the documents it has seen, so a repeated query, or the gateway's repeated fetch, is measured once).
const shapes = new WeakMap<DocumentNode, Shape>();

function shapeOf(schema: GraphQLSchema, document: DocumentNode): Shape {
  let shape = shapes.get(document);
  if (shape) return shape;
  const measured: Shape = { depth: 0, aliases: 0 };
  // Armor's rules as measures: no limit of their own, they report what they counted per operation.
  validate(schema, document, [
    maxDepthRule({ n: Infinity, flattenFragments: true, onAccept: [(_ctx, { n }) => (measured.depth = Math.max(measured.depth, n))] }),
    maxAliasesRule({ n: Infinity, onAccept: [(_ctx, { n }) => (measured.aliases = Math.max(measured.aliases, n))] }),
  ]);
  shape = measured;
  shapes.set(document, shape);
  return shape;
}

/**
 * The cost depends on the variables only through the arguments itemsOf reads (`first`, and
 * `_entities`' representations, by their number). So it is counted once per operation and per
 * value of those: the gateway's entity fetches and a storefront's repeated queries, which differ
 * only in ids, were counted afresh on every request (3–4 % of each service's CPU under load).
 */
const costs = new WeakMap<OperationDefinitionNode, { relevant: string[]; byKey: Map<string, number> }>();
/** Distinct cost-relevant values remembered per operation: `first` takes few values in practice. */
const MAX_COSTS_PER_OPERATION = 64;

/** The variables whose values the cost depends on, anywhere in the document (fragments included). */
function costRelevantVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (node.name.value !== 'first' && node.name.value !== 'representations') return;
      visit(node.value, { Variable: (v) => void names.add(v.name.value) });
    },
  });
  return [...names];
}

/** What of the variables the cost depends on: a list by its length, anything else by its value. */
const costKey = (relevant: string[], variables: Record<string, unknown>) =>
  JSON.stringify(relevant.map((name) => (Array.isArray(variables[name]) ? { items: (variables[name] as unknown[]).length } : (variables[name] ?? null))));

/**
 * The cost of a valid operation; null when its variables don't coerce (execution refuses them
 * with BAD_USER_INPUT before anything runs), Infinity when it has too many selections to count.
 */
export function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): number | null {
  let known = costs.get(operation);
  if (!known) costs.set(operation, (known = { relevant: costRelevantVariables(document), byKey: new Map() }));
  const key = costKey(known.relevant, variables);
  const counted = known.byKey.get(key);
  if (counted !== undefined) return counted;
  if (operation.variableDefinitions?.length && getVariableValues(schema, operation.variableDefinitions, variables).errors) return null;
  const cost = countCost(schema, document, operation, variables);
  if (known.byKey.size < MAX_COSTS_PER_OPERATION) known.byKey.set(key, cost);
  return cost;
}

function countCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  try {
    return getComplexity({
      schema,
      query: document,
      variables,
      operationName: operation.name?.value,
      estimators: [costEstimator],
      maxQueryNodes: MAX_EVALUATED_SELECTIONS,
    });
  } catch {
    // On a valid document with valid variables, the only failure left is the selection count.
    return Infinity;
  }
}

/** Why the operation is refused, naming the limit; null when it is within all of them. */
export function exceededLimit(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: QueryLimits,
): string | null {
  const { depth, aliases } = shapeOf(schema, document);
  if (depth > limits.MAX_QUERY_DEPTH) return `depth ${depth} exceeds MAX_QUERY_DEPTH ${limits.MAX_QUERY_DEPTH}`;
  if (aliases > limits.MAX_ALIASES) return `${aliases} aliases exceed MAX_ALIASES ${limits.MAX_ALIASES}`;
  const cost = costOf(schema, document, operation, variables);
  if (cost === Infinity)
    return `cost exceeds MAX_QUERY_COST ${limits.MAX_QUERY_COST} (over ${MAX_EVALUATED_SELECTIONS} selections once fragments are expanded)`;
  if (cost !== null && cost > limits.MAX_QUERY_COST) return `cost ${cost} exceeds MAX_QUERY_COST ${limits.MAX_QUERY_COST}`;
  return null;
}

/** graphql-js stops parsing at the limit, so a long document costs no more than the limit's worth. */
export const queryParseOptions = (limits: QueryLimits): ParseOptions => ({ maxTokens: limits.MAX_QUERY_TOKENS });

/**
 * Why a document that failed to parse was refused, when it was the token limit; null for a plain
 * syntax error. Lexes at most MAX_QUERY_TOKENS + 1 tokens.
 */
export function tokenLimitExceeded(source: string, limits: QueryLimits): string | null {
  const lexer = new Lexer(new Source(source));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF;) {
      if (++count > limits.MAX_QUERY_TOKENS) return `the document has more than MAX_QUERY_TOKENS ${limits.MAX_QUERY_TOKENS} tokens`;
    }
  } catch {
    // a syntax error within the limit: the parse error stands as it is
  }
  return null;
}

/**
 * Apollo Server settings for the gateway and the subgraphs alike: tokens at parse time, depth,
 * aliases and cost once the operation is known (before the gateway plans it or a resolver runs),
 * suggestions hidden in production. Refusals are HTTP 400 QUERY_TOO_COMPLEX.
 */
export function apolloQueryLimits(limits: QueryLimits, production: boolean): { parseOptions: ParseOptions; plugins: ApolloServerPlugin[] } {
  const armor = new ApolloArmor({
    blockFieldSuggestion: { enabled: production },
    costLimit: { enabled: false },
    maxAliases: { enabled: false },
    maxDepth: { enabled: false },
    maxDirectives: { enabled: false },
    maxTokens: { enabled: false },
  });
  // Armor's declarations name @apollo/server's CommonJS build, ours its ES module one: the same plugin shape.
  const armorPlugins = armor.protect().plugins as unknown as ApolloServerPlugin[];
  return { parseOptions: queryParseOptions(limits), plugins: [queryLimitsPlugin(limits), ...armorPlugins] };
}

function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operation }) {
          // No operation: nothing to measure (clientMistakesPlugin refuses it). No `http`: the
          // gateway's own query for a subscriber (executeOperation), measured when it was planned.
          if (!operation || !request.http) return;
          const exceeded = exceededLimit(schema, document, operation, request.variables, limits);
          if (exceeded) throw new GraphQLError(exceeded, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400, headers: new HeaderMap() } } });
        },
        // graphql-js aborts the parse at MAX_QUERY_TOKENS with a generic syntax error; say which
        // limit it was (Armor's block-field-suggestions rewrites messages in this hook the same way).
        async didEncounterErrors({ source, errors }) {
          for (const error of errors) {
            const exceeded = error.extensions.code === 'GRAPHQL_PARSE_FAILED' && source ? tokenLimitExceeded(source, limits) : null;
            if (!exceeded) continue;
            error.message = exceeded;
            Object.assign(error.extensions, { code: 'QUERY_TOO_COMPLEX' });
          }
        },
      };
    },
  };
}
