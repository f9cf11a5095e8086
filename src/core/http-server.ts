import http from "node:http";
import { existsSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import express, { type Request, type Response, type NextFunction } from "express";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { WebSocketServer, type WebSocket } from "ws";
import { useServer } from "graphql-ws/use/ws";
import { GraphQLError, OperationTypeNode, getOperationAST, parse, specifiedRules, validate, type GraphQLSchema } from "graphql";
import type { AppConfig } from "./config";
import type { Logger } from "./logger";
import { GUEST, LoaderCache, type Authenticator, type GraphQLContext, type Revocation, type RevocationFeed, type Viewer } from "./context";
import { createErrorFormatter, maskInternalError } from "./errors";
import { currentScope, runInScope } from "./request-context";
import { queryLimitRules } from "./query-limits";
import { isWebhookRequest, pathOf, serveWebhook, type WebhookEndpoint } from "./webhook-intake";

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface HttpServerDeps {
  config: AppConfig;
  logger: Logger;
  schema: GraphQLSchema;
  authenticate: Authenticator;
  readiness: ReadinessCheck[];
  /** Provider callbacks, served under POST /webhooks/<provider> on node:http, without Express. */
  webhooks: WebhookEndpoint[];
  /** Revoked credentials: WebSocket connections authenticated with them are closed (4403). */
  revocations?: RevocationFeed;
  /** false: a webhooks process, serving only /webhooks, /health and /ready. */
  graphql?: boolean;
}

const PLAYGROUND_DIR = path.join(__dirname, "playground");
const PLAYGROUND_ASSETS: Record<string, string> = {
  "react.production.min.js": "react/umd/react.production.min.js",
  "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
  "graphiql.min.js": "graphiql/graphiql.min.js",
  "graphiql.min.css": "graphiql/graphiql.min.css",
  "graphql-ws.min.js": "graphql-ws/umd/graphql-ws.min.js",
};

/** Finds a file inside an installed package, even one whose "exports" hide it. */
function packageFile(file: string): string | undefined {
  const candidates = require.resolve.paths(file) ?? [];
  return candidates.map((dir) => path.join(dir, file)).find((candidate) => existsSync(candidate));
}

function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}

function headerValue(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/**
 * One HTTP server carrying GraphQL over HTTP and WebSocket, webhooks, health
 * and the playground; or, for a webhooks process, webhooks and health only.
 */
export class HttpServer {
  readonly server: http.Server;
  private readonly apollo?: ApolloServer<GraphQLContext>;
  private readonly app = express();
  private disposeWs?: () => Promise<void>;
  private stopRevocations?: () => void;
  /** set by stop(): answers carry "Connection: close", so keep-alive clients let go */
  private stopping = false;

  constructor(private readonly deps: HttpServerDeps) {
    this.server = http.createServer((req, res) => this.serve(req, res));
    if (deps.graphql !== false) this.apollo = this.createGraphQL();
  }

  private createGraphQL(): ApolloServer<GraphQLContext> {
    const { deps } = this;
    const wsServer = new WebSocketServer({ server: this.server, path: "/graphql" });
    const ws = this.useWebSocket(wsServer);
    this.stopRevocations = deps.revocations?.((revocation) => closeRevoked(wsServer, revocation));
    this.disposeWs = async () => {
      for (const client of wsServer.clients) client.close(1001, "Server shutting down");
      await ws.dispose();
    };
    return new ApolloServer<GraphQLContext>({
      schema: deps.schema,
      introspection: deps.config.introspection,
      includeStacktraceInErrorResponses: false,
      // main.ts owns SIGTERM/SIGINT and stops the whole store; Apollo's own handler made a second stop() that never returned
      stopOnTerminationSignals: false,
      validationRules: queryLimitRules(deps.config.queryLimits),
      formatError: createErrorFormatter(deps.logger, () => currentScope()?.requestId),
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer: this.server }),
        ApolloServerPluginLandingPageDisabled(),
        // no cache hints are used; the default plugin instruments every field of every response
        ApolloServerPluginCacheControlDisabled(),
        { serverWillStart: async () => ({ drainServer: async () => this.disposeWs?.() }) },
      ],
    });
  }

  async start(): Promise<void> {
    await this.apollo?.start();
    this.mountRoutes();
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.deps.config.port, this.deps.config.host, () => resolve());
    });
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === "object" && address ? address.port : this.deps.config.port;
  }

  /** Stops accepting, lets in-flight requests finish, closes WebSocket clients. */
  async stop(): Promise<void> {
    this.stopRevocations?.();
    this.stopping = true;
    if (this.apollo) return this.apollo.stop();
    // as Apollo's drain does: finish the requests in flight, close idle keep-alive connections, cut the rest after a grace
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      setTimeout(() => this.server.closeAllConnections(), 10_000).unref();
    });
  }

  /** Every request gets its id and access line; callbacks go to the intake, the rest to Express. */
  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const { logger } = this.deps;
    const path = pathOf(req);
    const incoming = headerValue(req.headers["x-request-id"]);
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader("x-request-id", requestId);
    if (this.stopping) res.setHeader("connection", "close");
    // winston formats a line before its level filter drops it: skip the access line when it would be dropped
    if (logger.isLevelEnabled("http")) {
      const started = process.hrtime.bigint();
      res.on("finish", () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.http("request", { requestId, method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 });
      });
    }
    runInScope({ requestId }, () => {
      if (!isWebhookRequest(req, path)) return void this.app(req, res);
      serveWebhook(this.deps.webhooks, req, res, logger, path).catch((error: Error) => {
        logger.error("callback intake failed", { error: error.message, requestId });
        res.destroy();
      });
    });
  }

  private mountRoutes(): void {
    const { app } = this;
    const { logger } = this.deps;
    app.set("trust proxy", "loopback");
    app.disable("x-powered-by");
    app.get("/health", (_req, res) => {
      res.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) });
    });
    app.get("/ready", async (_req, res) => {
      const results = await Promise.all(
        this.deps.readiness.map(async ({ name, check }) => {
          try {
            await withTimeout(check(), 2000);
            return { name, ok: true };
          } catch (error) {
            return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
          }
        }),
      );
      const failed = results.filter((result) => !result.ok);
      res.status(failed.length === 0 ? 200 : 503).json({
        status: failed.length === 0 ? "ready" : "unavailable",
        checks: Object.fromEntries(results.map((r) => [r.name, r.ok ? "ok" : r.error])),
        failed: failed.map((r) => r.name),
      });
    });

    if (this.apollo) this.mountGraphQL(this.apollo);
    app.use((req: Request, res: Response) => res.status(404).json({ error: "not found", path: req.path }));
    app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
      if (error.status && error.status < 500) {
        return void res.status(error.status).json({ errors: [{ message: error.message, extensions: { code: error.type === "entity.too.large" ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST" } }] });
      }
      const formatted = maskInternalError(logger, error, currentScope()?.requestId);
      res.status(500).json({ errors: [formatted] });
    });
  }

  /** The playground, and GraphQL over HTTP. */
  private mountGraphQL(apollo: ApolloServer<GraphQLContext>): void {
    const { app } = this;
    const { config } = this.deps;
    const playground = (_req: Request, res: Response) => res.sendFile(path.join(PLAYGROUND_DIR, "index.html"));
    app.get("/playground", playground);
    app.get("/playground/playground.js", (_req, res) => res.sendFile(path.join(PLAYGROUND_DIR, "playground.js")));
    app.get("/playground/assets/:file", (req, res) => {
      const asset = PLAYGROUND_ASSETS[String(req.params.file)];
      const file = asset && packageFile(asset);
      if (!file) return void res.status(404).json({ error: "not found" });
      res.sendFile(file, { maxAge: "1d" });
    });
    app.get("/graphql", (req, res, next) => (req.accepts(["json", "html"]) === "html" ? playground(req, res) : next()));

    app.use(
      "/graphql",
      express.json({ limit: config.bodyLimitBytes }),
      expressMiddleware(apollo, {
        context: async ({ req }) => ({
          requestId: currentScope()?.requestId ?? randomUUID(),
          ip: clientIp(req),
          viewer: await this.deps.authenticate(headerValue(req.headers.authorization), clientIp(req)),
          loaders: new LoaderCache(),
        }),
      }),
    );
  }

  private useWebSocket(wsServer: WebSocketServer) {
    const { schema, logger, authenticate } = this.deps;
    const wsRules = [...specifiedRules, ...queryLimitRules(this.deps.config.queryLimits)];
    return useServer<Record<string, unknown>, { viewer?: GraphQLContext["viewer"]; ip?: string }>(
      {
        schema,
        onConnect: async (ctx) => {
          const ip = ctx.extra.request.socket.remoteAddress ?? "unknown";
          const params = ctx.connectionParams ?? {};
          const authorization = headerValue(params.Authorization) ?? headerValue(params.authorization);
          try {
            ctx.extra.viewer = authorization ? await authenticate(authorization, ip) : GUEST;
          } catch {
            return false; // 4403 Forbidden: credentials were given and refused
          }
          ctx.extra.ip = ip;
          viewers.set(ctx.extra.socket, ctx.extra.viewer);
          closeWhenExpired(ctx.extra.socket, ctx.extra.viewer);
          return true;
        },
        context: (ctx): GraphQLContext => ({
          requestId: randomUUID(),
          ip: ctx.extra.ip ?? "unknown",
          viewer: ctx.extra.viewer ?? GUEST,
          loaders: new LoaderCache(),
        }),
        onSubscribe: (_ctx, _id, payload) => {
          // Queries and mutations go over HTTP, where limits and logging apply.
          let document;
          try {
            document = parse(payload.query);
          } catch {
            return undefined; // the syntax error is reported by the normal path
          }
          const operation = getOperationAST(document, payload.operationName);
          if (operation && operation.operation !== OperationTypeNode.SUBSCRIPTION) {
            return [new GraphQLError("Only subscriptions are served over WebSocket; use HTTP POST /graphql", { extensions: { code: "BAD_REQUEST" } })];
          }
          const limitErrors = validate(schema, document, wsRules);
          return limitErrors.length > 0 ? limitErrors : undefined;
        },
        onNext: (_ctx, _id, _payload, _args, result) => {
          if (!("errors" in result) || !result.errors) return result;
          return { ...result, errors: result.errors.map((error) => maskWsError(logger, error)) };
        },
        onError: (_ctx, _id, _payload, errors) => errors.map((error) => maskWsError(logger, error) as GraphQLError),
      },
      wsServer,
    );
  }
}

/** Which viewer each live WebSocket authenticated as, so a revocation can find its sockets. */
const viewers = new WeakMap<object, Viewer>();

/** A socket lives no longer than the access token it was opened with (clients reconnect with a fresh one). */
function closeWhenExpired(socket: WebSocket, viewer: Viewer): void {
  if (viewer.kind !== "user" || viewer.expiresAt === undefined) return;
  const timer = setTimeout(() => socket.close(4403, "Forbidden"), Math.min(Math.max(0, viewer.expiresAt - Date.now()), 2 ** 31 - 1));
  socket.once("close", () => clearTimeout(timer));
}

function closeRevoked(wsServer: WebSocketServer, revocation: Revocation): void {
  for (const socket of wsServer.clients) {
    const viewer = viewers.get(socket);
    if (viewer?.kind !== "user") continue;
    const matches =
      (revocation.userId !== undefined && viewer.userId === revocation.userId) ||
      (revocation.sessionId !== undefined && viewer.sessionId === revocation.sessionId) ||
      (revocation.tokenId !== undefined && viewer.tokenId === revocation.tokenId);
    if (matches) socket.close(4403, "Forbidden");
  }
}

/** The WebSocket transport bypasses Apollo's formatError: mask unexpected errors here. */
function maskWsError(logger: Logger, error: GraphQLError): GraphQLError {
  // No original: a document validation error. A GraphQLError original: raised on purpose.
  if (!error.originalError || error.originalError instanceof GraphQLError) return error;
  const formatted = maskInternalError(logger, error.originalError, undefined, error.path);
  return new GraphQLError(formatted.message, { path: error.path, extensions: formatted.extensions });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}
