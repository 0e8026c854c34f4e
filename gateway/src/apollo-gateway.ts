// Two costs @apollo/gateway pays per request inside @apollo/federation-internals, which it has no
// setting for, trimmed here before it loads: the gateway's code takes @apollo/gateway's values from
// this module, which loads it after the trims (a static import would load it first, since Node
// runs the CommonJS dependencies of ES modules before any of the modules themselves).
//   - The package re-exports its modules through CommonJS getters (TypeScript's __exportStar), and
//     the gateway calls through them for every field of every result it shapes: 4.7 % of the
//     gateway's CPU on a 20-product page went to those getters alone. Node's module cache is given
//     a plain copy of the package's exports (the same functions and classes, read once), so the
//     gateway's `require` of it gets ordinary properties.
//   - The gateway rebuilds its own form of the operation (operationFromDocument) from the
//     document's AST on every request it executes, a query or a subscription's push alike, even
//     when the query plan comes from its cache. The AST is the same object for every request of
//     the same document (Apollo Server keeps parsed, validated documents; subscriptions/forward.ts
//     keeps its own) and that Operation depends on nothing else but the schema, so it is built
//     once per schema and operation node.
// If the package changes shape, neither is done and the gateway works as shipped.
import { createRequire } from 'node:module';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';

type OperationFromDocument = (schema: object, document: DocumentNode, options?: { operationName?: string; validate?: boolean }) => unknown;
type Exports = Record<string, unknown> & { operationFromDocument?: OperationFromDocument };

const require = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
const entry = require.resolve('@apollo/federation-internals');

function plainExports(): Exports | null {
  const internals = require(entry) as Exports;
  const gatewayLoaded = !!require.cache[require.resolve('@apollo/gateway')];
  const cached = require.cache[entry];
  if (!cached || cached.exports !== internals) return null;
  if (Object.getOwnPropertyDescriptor(internals, 'operationFromDocument')?.value) return internals; // plain already
  if (gatewayLoaded) return null; // too late: it holds the getters
  const plain: Exports = { ...internals }; // each getter read once
  Object.defineProperty(plain, '__esModule', { value: true });
  cached.exports = plain;
  return plain;
}

function cacheOperations(exports: Exports): void {
  const build = exports.operationFromDocument;
  if (typeof build !== 'function' || wrapped.has(build)) return;
  const built = new WeakMap<object, WeakMap<OperationDefinitionNode, unknown>>();
  const cached: OperationFromDocument = (schema, document, options) => {
    // Only execution's call (validate: false, one operation first): planning's is made once per plan anyway.
    const [operation] = document.definitions;
    if (options?.validate !== false || options.operationName || operation?.kind !== 'OperationDefinition') return build(schema, document, options);
    let forSchema = built.get(schema);
    if (!forSchema) built.set(schema, (forSchema = new WeakMap()));
    let result = forSchema.get(operation);
    if (result === undefined) forSchema.set(operation, (result = build(schema, document, options)));
    return result;
  };
  wrapped.add(cached);
  exports.operationFromDocument = cached;
}

/** The functions this module made, so a second call wraps nothing twice. */
const wrapped = new WeakSet<OperationFromDocument>();

/** True when the gateway's copy of the package is plain and its operations are cached. */
export function trimFederationInternals(): boolean {
  const plain = plainExports();
  if (!plain) return false;
  cacheOperations(plain);
  return wrapped.has(plain.operationFromDocument!);
}

trimFederationInternals();

export const { ApolloGateway, RemoteGraphQLDataSource, buildOperationContext, executeQueryPlan } =
  require('@apollo/gateway') as typeof import('@apollo/gateway');
