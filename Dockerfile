FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# node itself (tsx as a loader) is PID 1, so `docker stop`'s SIGTERM reaches server.ts's graceful shutdown;
# the tsx CLI would relay it and SIGKILL a busy server that does not answer within 30 ms.
CMD ["node", "--import", "tsx", "server/server.ts"]
