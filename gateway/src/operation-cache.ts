// @apollo/gateway rebuilds its own form of the operation (federation-internals'
// operationFromDocument) from the document's AST on every request it executes, a query or a
// subscription's push alike, even when the query plan comes from its cache. The AST is the same
// object for every request of the same document (Apollo Server keeps parsed, validated documents,
// and subscriptions/forward.ts keeps its own), and that Operation depends on nothing else but the
// schema, so it is built once per schema and operation node here. @apollo/gateway has no setting for
// this, so the function is wrapped where the gateway reads it on each call (a CommonJS export of
// federation-internals); if that module changes shape, nothing is wrapped and the gateway works as
// shipped.
import { createRequire } from 'node:module';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';

type OperationFromDocument = (schema: object, document: DocumentNode, options?: { operationName?: string; validate?: boolean }) => unknown;

const require = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));

/** Installs the cache once per process; true when it is in place. */
export function cacheGatewayOperations(): boolean {
  const operations = require('@apollo/federation-internals/dist/operations.js') as { operationFromDocument?: OperationFromDocument & { cached?: true } };
  const build = operations.operationFromDocument;
  if (typeof build !== 'function') return false;
  if (build.cached) return true;
  const bySchema = new WeakMap<object, WeakMap<OperationDefinitionNode, unknown>>();
  const cached: OperationFromDocument & { cached?: true } = (schema, document, options) => {
    // Only execution's call (validate: false, one operation first): planning's call is made once per plan anyway.
    const [operation] = document.definitions;
    if (options?.validate !== false || options.operationName || operation?.kind !== 'OperationDefinition') return build(schema, document, options);
    let forSchema = bySchema.get(schema);
    if (!forSchema) bySchema.set(schema, (forSchema = new WeakMap()));
    let built = forSchema.get(operation);
    if (built === undefined) forSchema.set(operation, (built = build(schema, document, options)));
    return built;
  };
  cached.cached = true;
  operations.operationFromDocument = cached;
  return true;
}
