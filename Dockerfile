# One image for every service; the command picks which one runs:
#   docker run IMAGE                                   → everything in one process (embedded defaults)
#   docker run IMAGE npx tsx bin/start.ts account      → one service (needs DATABASE_URL and AMQP_URL)
# Services: gateway | account | inventory | order | payment | stripe-emulator (see bin/start.ts).

# Dependencies, built with a toolchain in case better-sqlite3 has no prebuilt binary for this platform.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# tsx (a devDependency) runs the TypeScript sources, so dev dependencies are installed too.
RUN npm ci --include=dev --no-audit --no-fund \
  && npm cache clean --force

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/app/.data \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node . .
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4000 4001 4002 4003 4004 12111
CMD ["npx", "tsx", "bin/start.ts"]
