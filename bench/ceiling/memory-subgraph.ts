// The read ceiling's subgraph: stock @apollo/subgraph serving the same 20-product page from
// memory, so the only costs left are Apollo's own (parse, validate, execute, serialise, HTTP).
// Run: node --import tsx bench/ceiling/memory-subgraph.ts <port>
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])
  type Money @shareable { amount: Int! currency: String! }
  type Product @key(fields: "id") { id: ID! name: String! price: Money! available: Int! }
  type ProductConnection { nodes: [Product!]! totalCount: Int! }
  type Query { products(first: Int = 20): ProductConnection! }
`;

const products = Array.from({ length: 20 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  name: `Product ${i}`,
  price: { amount: 500 + i, currency: 'USD' },
  available: 100,
}));

async function main() {
  const port = Number(process.argv[2]);
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(typeDefs),
      resolvers: {
        Query: { products: (_: unknown, { first }: { first: number }) => ({ nodes: products.slice(0, first), totalCount: products.length }) },
        Product: { __resolveReference: (ref: { id: string }) => products.find((p) => p.id === ref.id) },
      } as never,
    }),
    // As our subgraphs: no federated tracing; and this process, not Apollo, handles SIGTERM.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    stopOnTerminationSignals: false,
  });
  await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
  process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

if (process.argv[1]?.endsWith('memory-subgraph.ts')) void main();
