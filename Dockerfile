# One image for every service; the command picks which one runs:
#   docker run IMAGE                                    → everything in one process, in production mode:
#                                                         it needs the production secrets and Stripe settings (README)
#   docker run IMAGE node dist/bin/start.js account     → one service (needs DATABASE_URL and AMQP_URL)
# Services: gateway | account | inventory | order | payment | stripe-emulator (see bin/start.ts).
# The image runs the compiled build with plain Node, as production does (tsx is for development and tests).

# Dependencies, built with a toolchain in case better-sqlite3 has no prebuilt binary for this platform.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The compiler (typescript) is a devDependency: installed here, pruned after the build.
RUN npm ci --include=dev --no-audit --no-fund \
  && npm cache clean --force

# `npm run build` compiles to dist/; then only the runtime dependencies are kept.
FROM deps AS build
COPY . .
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/app/.data \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Read at run time from the project root (lib/platform/paths.ts): package.json ("type": "module"),
# the SDLs and the supergraph in schema/, the storefront's files in gateway/public/.
COPY --chown=node:node package.json ./
COPY --chown=node:node schema ./schema
COPY --chown=node:node gateway/public ./gateway/public
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4000 4001 4002 4003 4004 12111
CMD ["node", "dist/bin/start.js"]
