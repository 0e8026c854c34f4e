// npm run compose: writes schema/supergraph.graphql from the subgraph SDLs, and supergraph.yaml
// (rover's config for the same composition), both routing to the *_URL / *_PORT settings in the
// environment (localhost and the default ports when unset, as committed).
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { loadConfig, SERVICES } from '../lib/platform/config.js';
import { projectPath } from '../lib/platform/paths.js';
import { composeSupergraph, subgraphRoutingUrls, supergraphPath } from '../lib/platform/schema.js';

const urls = subgraphRoutingUrls(loadConfig());
writeFileSync(supergraphPath, composeSupergraph(urls));
console.log(`wrote ${supergraphPath}`);

const roverConfig = {
  federation_version: '=2.14.4',
  subgraphs: Object.fromEntries(SERVICES.map((name) => [name, { routing_url: urls[name], schema: { file: `./schema/${name}.graphql` } }])),
};
const roverPath = projectPath('supergraph.yaml');
writeFileSync(roverPath, `# rover supergraph compose --config supergraph.yaml (written by npm run compose)\n${stringify(roverConfig)}`);
console.log(`wrote ${roverPath}`);
