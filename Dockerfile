# syntax=docker/dockerfile:1

# One Dockerfile, three targets (api, worker, migrate) built from the same
# stages: the API and the worker that executes its workflows always ship the
# same code and the same lockfile.
#
#   docker build --target api .
#   docker build --target worker .
#   docker build --target migrate .

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Full install: vite and the svelte plugin are devDependencies.
FROM base AS build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build:web

# Runtime dependencies only. tsx is a dependency, not a devDependency, because
# the services run their TypeScript entry points directly.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev

FROM base AS runtime
# API_HOST: the config default (127.0.0.1) is unreachable from outside the container.
ENV NODE_ENV=production \
    API_HOST=0.0.0.0 \
    API_PORT=3000 \
    WEB_DIST_DIR=web/dist
COPY --from=prod-deps /app/node_modules ./node_modules
COPY . .
COPY --from=build /app/web/dist ./web/dist
# Files stay owned by root: the app user can read the code but not rewrite it.
USER node

FROM runtime AS worker
CMD ["npm", "run", "worker"]

# Debit streams → ledger, usage batches → billing workflows. Scale it like the worker.
FROM runtime AS reconciler
CMD ["npm", "run", "reconciler"]

# Seed runs on every deploy after the migrations, so it must be idempotent.
FROM runtime AS migrate
CMD ["sh", "-c", "npm run migrate && npm run seed"]

# Last, so that a plain `docker build .` produces the API.
FROM runtime AS api
EXPOSE 3000
CMD ["npm", "run", "api"]
