// Hive Gateway (`npx hive-gateway supergraph`) in front of the four subgraphs, in place of ours.
// It reads this file from the working directory. The supergraph's join__graph URLs say where each
// subgraph is (`npm run compose` with the *_URL settings, or `rover supergraph compose --config
// supergraph.yaml`). Every subgraph verifies the caller's token itself, so `authorization` must
// reach them: on queries, mutations and the subscription the order subgraph serves over SSE.
// A plain object (what defineConfig returns): importing Hive's types would merge GraphQL Yoga's
// declarations for error extensions into this project's, which Apollo's disagree with.
import type { GraphQLResolveInfo } from 'graphql';

/** A merged-type resolver as Hive's `onDelegationStageExecute` hands it over (the arguments we touch typed). */
type MergedTypeResolver = (object: unknown, context: unknown, info: GraphQLResolveInfo, ...rest: unknown[]) => unknown;

interface DelegationStage {
  object: unknown;
  info: GraphQLResolveInfo;
  resolver: MergedTypeResolver;
  setResolver(resolver: MergedTypeResolver): void;
}

/**
 * Resolves the other subgraphs' fields of each subscription event afresh (Hive Gateway 2.15,
 * `@graphql-tools/batch-delegate` 10.1). Hive fetches the fields another subgraph adds to the
 * subscription's root entity (`payment` on Order) while it maps each event, with the `info` of the
 * subscribe call. Batch delegation keeps its DataLoaders per `info.rootValue || context`, and both
 * stay the same for the whole subscription, so the second event's `{__typename: "Order", id}`
 * hits the first event's cache: `payment { status }` stayed OPEN on the PAID and FINISHED pushes.
 * Nested entities (`customer`, `items { product }`) are resolved while the event executes, whose
 * root value is the event, so they were already fresh. Scoping those root-level stages to the
 * event's own object gives them a loader per event, shared by that event's stages only.
 */
export const freshEntitiesPerSubscriptionEvent = {
  onDelegationStageExecute({ object, info, resolver, setResolver }: DelegationStage) {
    const rootOfSubscription = info.operation.operation === 'subscription' && info.parentType === info.schema.getSubscriptionType();
    if (!rootOfSubscription || typeof object !== 'object' || object === null) return;
    setResolver((obj, context, stageInfo, ...rest) => resolver(obj, context, { ...stageInfo, rootValue: object }, ...rest));
  },
};

export const gatewayConfig = {
  supergraph: './schema/supergraph.graphql',
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }: { request: Request }) => ({ authorization: request.headers.get('authorization') }),
  },
  plugins: () => [freshEntitiesPerSubscriptionEvent],
};
