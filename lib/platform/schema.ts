// The SDL files in schema/ are the one source of the API: subgraphs load theirs, the compose
// step builds schema/supergraph.graphql from all four.
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse, type DocumentNode } from 'graphql';
import { SERVICES, type ServiceName } from './config.js';
import { projectPath } from './paths.js';

export const schemaDir = projectPath('schema') + '/';

export const subgraphSdl = (name: ServiceName) => readFileSync(`${schemaDir}${name}.graphql`, 'utf8');
export const subgraphTypeDefs = (name: ServiceName): DocumentNode => parse(subgraphSdl(name));
export const supergraphPath = `${schemaDir}supergraph.graphql`;

/** Composes the four subgraph SDLs; throws with every composition error. */
export function composeSupergraph(): string {
  const result = composeServices(SERVICES.map((name) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs: subgraphTypeDefs(name) })));
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  return result.supergraphSdl;
}
