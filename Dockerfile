# One image for every Meridian process; compose.yaml picks the process with `command`.
FROM node:20-bookworm-slim
ENV COREPACK_INTEGRITY_KEYS=0
RUN corepack enable && mkdir /data && chown node:node /data
WORKDIR /app
COPY --chown=node:node . .
USER node
RUN pnpm install --frozen-lockfile
