// The SDL files in schema/ are the one source of the API: subgraphs load theirs, the compose
// step builds schema/supergraph.graphql from all four.
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse, type DocumentNode } from 'graphql';
import { loadConfig, serviceUrl, SERVICES, type Config, type ServiceName } from './config.js';
import { projectPath } from './paths.js';

export const schemaDir = projectPath('schema') + '/';

export const subgraphSdl = (name: ServiceName) => readFileSync(`${schemaDir}${name}.graphql`, 'utf8');
export const subgraphTypeDefs = (name: ServiceName): DocumentNode => parse(subgraphSdl(name));
export const supergraphPath = `${schemaDir}supergraph.graphql`;

/** Where each subgraph's /graphql is, for the supergraph's join__graph: the *_URL and *_PORT settings. */
export const subgraphRoutingUrls = (config: Config = loadConfig({})): Record<ServiceName, string> =>
  Object.fromEntries(SERVICES.map((name) => [name, `${serviceUrl(config, name)}/graphql`])) as Record<ServiceName, string>;

/**
 * Composes the four subgraph SDLs; throws with every composition error. The routing URLs are the
 * defaults' (localhost) unless given: the committed supergraph runs locally as it is, and
 * `npm run compose` with an environment's settings points it (and supergraph.yaml) elsewhere.
 */
export function composeSupergraph(urls: Record<ServiceName, string> = subgraphRoutingUrls()): string {
  const result = composeServices(SERVICES.map((name) => ({ name, url: urls[name], typeDefs: subgraphTypeDefs(name) })));
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  return result.supergraphSdl;
}
