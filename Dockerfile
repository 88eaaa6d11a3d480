# syntax=docker/dockerfile:1
# paperboy image. `docker compose up` is the easy way (compose.yaml). By hand:
#   docker build -t paperboy .
#   docker run --env-file .env -e DATABASE_URL=/data/paperboy.db -p 3000:3000 -v paperboy-data:/data paperboy
# (-e because a .env copied from .env.example sets DATABASE_URL=./data/…, which would override the ENV below and
# put the database outside the volume.) Any CLI verb works as the command: `docker run --rm paperboy --version`.

# ---- build: install with dev tools, compile TypeScript, then drop the dev tools ----
FROM node:20-bookworm-slim AS build

# better-sqlite3 is a native addon. Its install script downloads a prebuilt binary when one exists for this
# Node/glibc; when it doesn't (or GitHub is unreachable) it compiles with node-gyp, which needs these.
# They live in this stage only: the runtime stage gets the compiled addon, not the compiler.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, from the manifest and lock file alone, so editing the sources reuses this layer.
# --ignore-scripts because `npm ci` would otherwise run the project's `prepare` (= the build), and the sources
# aren't here yet; `npm rebuild` then runs the dependencies' own install scripts (better-sqlite3's binary)
# without touching the project's scripts.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild

# Now the sources, and the same build `prepare` would have run (esbuild bundles src/ and adapters/ into dist/).
COPY tsconfig.json ./
COPY bin/build.js ./bin/build.js
COPY src ./src
COPY adapters ./adapters
RUN npm run build

# Leave only what `dependencies` needs, so the runtime stage can copy node_modules wholesale.
RUN npm prune --omit=dev --no-audit --no-fund

# ---- runtime: the compiled bot and its production dependencies, nothing else ----
# Same base as the build stage, so the addon compiled or downloaded there matches this glibc and Node ABI.
FROM node:20-bookworm-slim AS runtime

# DATABASE_URL points into the volume, so the store survives a new container.
ENV NODE_ENV=production \
    DATABASE_URL=/data/paperboy.db \
    PORT=3000

WORKDIR /app

# Exactly what runs: the CLI finds package.json (for --version) and prompts/ by walking up from dist/,
# so they must sit together under /app. Owned by root, so the bot can't rewrite its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin/paperboy.js ./bin/paperboy.js
COPY prompts ./prompts

# The data directory must exist and belong to `node` before VOLUME: a new named volume takes its contents
# and ownership from here, and changes made after VOLUME would be discarded.
RUN mkdir -p /data && chown node:node /data
VOLUME /data

# The official image's unprivileged user (uid 1000).
USER node

EXPOSE 3000

# Slim images have no curl; Node's fetch does the job. 127.0.0.1 works with the default HOST=0.0.0.0.
# The start period covers start-up (opening the store, connecting adapters) before failures count.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# `paperboy start` handles SIGTERM itself (stops the scheduler, adapters, server and store, then exits), so node
# can be PID 1; compose still sets `init: true` so a tini reaps any stray child processes.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/paperboy.js"]
CMD ["start"]
