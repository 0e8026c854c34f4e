// A subscriber's `subscription { orderStatusChanged(orderId: …) { … } }` becomes a query the
// gateway can plan, `query { order(id: …) { … } }`, so each push is resolved by the normal
// federated path. Pure: no I/O, unit-tested beside this file. Every step is linear in the length
// of the document (a message is at most 64 KB) and the query limits are checked before the plan
// is used: on the query it becomes, since that is what runs, helper field included.
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  parse,
  print,
  separateOperations,
  validate,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { OrderStatus } from '../../../lib/contracts/events.js';
import { exceededLimit, queryParseOptions, tokenLimitExceeded, type QueryLimits } from '../../../lib/platform/http/query-limits.js';

export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export interface LivePlan {
  orderId: string;
  /** The original subscription document (graphql-ws needs it to see the operation type). */
  document: DocumentNode;
  operationName?: string;
  variables: Record<string, unknown>;
  /** The printed order query, the same text every push so Apollo's query-plan cache hits. */
  query: string;
  /** Where the subscriber expects the order: the root field's alias or `orderStatusChanged`. */
  responseKey: string;
  /** A helper field we add for sequencing (the history's statuses); stripped before sending. */
  helperKey: string;
  /** Response key → field name on the order, fragments followed, so aliases get patched too. */
  orderFields: Map<string, string>;
}

const ROOT_FIELD = 'orderStatusChanged';
const HELPER_KEY = '_liveStatusHistory';

const error = (code: string, message: string, from?: GraphQLError) =>
  new GraphQLError(message, { nodes: from?.nodes, source: from?.source, positions: from?.positions, extensions: { code } });

export interface PlanOptions {
  limits: QueryLimits;
  /** Production: no "Did you mean …" in validation errors. */
  hideSuggestions: boolean;
}

/** The plan for one subscription, or the errors to send back (the socket stays open). */
export function planSubscription(schema: GraphQLSchema, payload: SubscribePayload, options: PlanOptions): LivePlan | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query, queryParseOptions(options.limits));
  } catch (err) {
    const overLimit = tokenLimitExceeded(payload.query, options.limits);
    if (overLimit) return [error('QUERY_TOO_COMPLEX', overLimit)];
    return [error('GRAPHQL_PARSE_FAILED', (err as Error).message, err instanceof GraphQLError ? err : undefined)];
  }
  const invalid = validate(schema, document, undefined, { hideSuggestions: options.hideSuggestions });
  if (invalid.length) return invalid.map((e) => error('GRAPHQL_VALIDATION_FAILED', e.message, e));
  const operation = getOperationAST(document, payload.operationName ?? undefined);
  if (!operation) return [error('BAD_USER_INPUT', 'Name the operation to run with operationName')];
  if (operation.operation !== 'subscription') {
    return [error('BAD_USER_INPUT', 'Only subscriptions go over WebSocket; send queries and mutations to POST /graphql')];
  }
  const [root, ...more] = operation.selectionSet.selections;
  if (!root || more.length || root.kind !== Kind.FIELD || root.name.value !== ROOT_FIELD || root.directives?.length) {
    return [error('BAD_USER_INPUT', `Select ${ROOT_FIELD} directly in the subscription, without fragments or directives`)];
  }

  const variables = payload.variables ?? {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return coerced.errors.map((e) => error('BAD_USER_INPUT', e.message, e));
  const fieldDef = schema.getSubscriptionType()!.getFields()[ROOT_FIELD]!;
  const { orderId } = getArgumentValues(fieldDef, root, coerced.coerced) as { orderId: string };

  const helperKey = helperKeyFor(document);
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const orderFields = new Map<string, string>();
  collectFields(root.selectionSet!, new Map(fragments.map((f) => [f.name.value, f])), orderFields, new Set());

  const queryDocument = orderQuery(operation, root, helperKey, fragments);
  const query = print(queryDocument);
  const overLimit =
    tokenLimitExceeded(query, options.limits) ?? exceededLimit(schema, queryDocument, getOperationAST(queryDocument)!, variables, options.limits);
  if (overLimit) return [error('QUERY_TOO_COMPLEX', overLimit)];
  return { orderId, document, operationName: operation.name?.value, variables, query, responseKey: root.alias?.value ?? ROOT_FIELD, helperKey, orderFields };
}

/**
 * A response key for the helper field that no name in the document has: longer than every name
 * that starts with HELPER_KEY. One pass over the document (appending "_" until the text no longer
 * contained the key rescanned the text per underscore: 6.7 s for one 156 KB message).
 */
function helperKeyFor(document: DocumentNode): string {
  let longest = -1;
  visit(document, {
    Name: (name) => {
      if (name.value.startsWith(HELPER_KEY)) longest = Math.max(longest, name.value.length - HELPER_KEY.length);
    },
  });
  return longest < 0 ? HELPER_KEY : HELPER_KEY + '_'.repeat(longest + 1);
}

/** Same variables, same fragments (those still used), root field swapped for `order(id:)`. */
function orderQuery(operation: OperationDefinitionNode, root: FieldNode, helperKey: string, fragments: FragmentDefinitionNode[]): DocumentNode {
  const helper = (parse(`{ ${helperKey}: statusHistory { status } }`).definitions[0] as OperationDefinitionNode).selectionSet.selections[0]!;
  const idArgument = root.arguments!.find((a) => a.name.value === 'orderId')!;
  const order: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: root.alias?.value ?? ROOT_FIELD },
    name: { kind: Kind.NAME, value: 'order' },
    arguments: [{ ...idArgument, name: { kind: Kind.NAME, value: 'id' } }],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [...root.selectionSet!.selections, helper] },
  };
  const query: OperationDefinitionNode = { ...operation, operation: OperationTypeNode.QUERY, selectionSet: { kind: Kind.SELECTION_SET, selections: [order] } };
  // separateOperations keeps only the fragments this operation reaches (others would fail validation).
  const separated = separateOperations({ kind: Kind.DOCUMENT, definitions: [query, ...fragments] });
  return Object.values(separated)[0]!;
}

function collectFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, out: Map<string, string>, seen: Set<string>) {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) out.set(selection.alias?.value ?? selection.name.value, selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) collectFields(selection.selectionSet, fragments, out, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) collectFields(fragment.selectionSet, fragments, out, seen);
    }
  }
}

export type OrderResult = Record<string, unknown>;

/** The statuses of the order's history, oldest first (entry n = status sequence n). */
export function historyOf(plan: LivePlan, order: OrderResult): OrderStatus[] {
  const history = order[plan.helperKey];
  return Array.isArray(history) ? history.map((h: { status: OrderStatus }) => h.status) : [];
}

/**
 * The order as of transition `sequence`: every `status` key says `status`, every `statusHistory`
 * key holds the first `sequence` entries, and the helper field is gone. Other fields are as fetched.
 */
export function orderAt(plan: LivePlan, order: OrderResult, sequence: number, status: OrderStatus): OrderResult {
  const shaped: OrderResult = { ...order };
  delete shaped[plan.helperKey];
  for (const [key, field] of plan.orderFields) {
    if (!(key in shaped)) continue;
    if (field === 'status') shaped[key] = status;
    else if (field === 'statusHistory' && Array.isArray(shaped[key])) shaped[key] = (shaped[key] as unknown[]).slice(0, sequence);
  }
  return shaped;
}
