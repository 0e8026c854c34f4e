// The read ceiling's gateway: a stock ApolloGateway on a static supergraph composed in memory by
// @apollo/composition from the memory subgraph's SDL. No plugins, no auth, no body limits:
// what Apollo's gateway costs on this machine with nothing of ours around it.
// Run: node --import tsx bench/ceiling/stock-gateway.ts <port> <subgraph url>
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { typeDefs } from './memory-subgraph.js';

async function main() {
  const [port, subgraphUrl] = [Number(process.argv[2]), process.argv[3]!];
  const composed = composeServices([{ name: 'catalog', typeDefs: parse(typeDefs), url: `${subgraphUrl}/graphql` }]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  // stopOnTerminationSignals: this process handles SIGTERM itself (Apollo's handler would race it).
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl }), stopOnTerminationSignals: false });
  await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
  process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

void main();
