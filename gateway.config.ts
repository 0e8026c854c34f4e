// Hive Gateway (`npx hive-gateway supergraph`) in front of the four subgraphs, in place of ours.
// It reads this file from the working directory. The supergraph's join__graph URLs say where each
// subgraph is (`npm run compose` with the *_URL settings, or `rover supergraph compose --config
// supergraph.yaml`). Every subgraph verifies the caller's token itself, so `authorization` must
// reach them: on queries, mutations and the subscription the order subgraph serves over SSE.
// A plain object (what defineConfig returns): importing Hive's types would merge GraphQL Yoga's
// declarations for error extensions into this project's, which Apollo's disagree with.

export const gatewayConfig = {
  supergraph: './schema/supergraph.graphql',
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }: { request: Request }) => ({ authorization: request.headers.get('authorization') }),
  },
};
