// The demo storefront: static files from gateway/public plus graphql-ws's browser build, so the
// page needs no bundler and no CDN. `/` and `/orders/{id}` are the same page; app.js routes.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { projectPath } from '../../lib/platform/paths.js';
import express, { type Response } from 'express';

const publicDir = projectPath('gateway', 'public');
// The UMD build defines `globalThis.graphqlWs`; resolved through the package so upgrades follow.
const graphqlWsBrowser = join(dirname(createRequire(import.meta.url).resolve('graphql-ws')), '..', 'umd', 'graphql-ws.min.js');

// Same-origin only: scripts, styles and the WebSocket ('self' covers ws:// to this host).
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function storefront(): express.Router {
  if (!existsSync(graphqlWsBrowser)) throw new Error(`graphql-ws browser build not found at ${graphqlWsBrowser}`);
  const router = express.Router();
  const page = (res: Response) => {
    res.set({ 'content-security-policy': CSP, 'cache-control': 'no-cache' });
    res.sendFile('index.html', { root: publicDir });
  };
  router.get('/', (_req, res) => page(res));
  router.get('/orders/:id', (_req, res) => page(res));
  router.get('/assets/graphql-ws.js', (_req, res) => {
    res.sendFile(graphqlWsBrowser, { maxAge: '1h' });
  });
  router.use('/assets', express.static(publicDir, { index: false, maxAge: 0 }));
  return router;
}
