// A subgraph's own Subscription fields, run by graphql-js against its schema and served over every
// transport (../http/subscriptions.ts), so that any federation gateway in front can reach them.
import { subscribe, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { AuthUser } from '../auth.js';
import { checkSubscription, maskedErrors, type OpenSubscription } from '../http/subscriptions.js';
import type { QueryLimits } from '../http/query-limits.js';

export interface SchemaSubscriptionOptions {
  schema: GraphQLSchema;
  limits: QueryLimits;
  production: boolean;
  user: (authorization: string | undefined) => Promise<AuthUser | null>;
  /** The context a subscription's resolvers get, as for a request by this user. */
  context: (user: AuthUser | null) => object;
}

/** Opens a subscription on the schema; a failure before the first push (a refusal) is the errors. */
export function schemaSubscriptions(o: SchemaSubscriptionOptions): OpenSubscription {
  return async ({ payload, authorization }) => {
    // The limits come before sign-in, as on the gateway.
    const checked = checkSubscription(o.schema, payload, o.limits, o.production);
    if (Array.isArray(checked)) return checked;
    let user: AuthUser | null;
    try {
      user = await o.user(authorization);
    } catch (err) {
      return [err as GraphQLError];
    }
    const result = await subscribe({
      schema: o.schema,
      document: checked.document,
      operationName: checked.operationName,
      variableValues: checked.variables,
      contextValue: o.context(user),
    });
    if (Symbol.asyncIterator in result) return { document: checked.document, stream: result };
    return maskedErrors(result.errors ?? []);
  };
}
