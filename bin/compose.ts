// npm run compose: writes schema/supergraph.graphql from the subgraph SDLs.
import { writeFileSync } from 'node:fs';
import { composeSupergraph, supergraphPath } from '../lib/platform/schema.js';

writeFileSync(supergraphPath, composeSupergraph());
console.log(`wrote ${supergraphPath}`);
