import type { DataSource } from "typeorm";
import type Redis from "ioredis";
import type { AppConfig } from "../../core/config";
import type { Authenticator } from "../../core/context";
import type { EventBus } from "../../core/event-bus";
import type { AuditService } from "../audit/audit.service";
import type { NotificationOutboxService } from "../notifications/notification-outbox.service";
import { ApiTokenResolver } from "./api-token.resolver";
import { ApiTokenService } from "./api-token.service";
import { createAuthenticator } from "./authenticator";
import { loadIdentityConfig } from "./identity.config";
import { IdentityResolver } from "./identity.resolver";
import { IdentityService } from "./identity.service";
import { LoginThrottle } from "./login-throttle";
import { Revocations } from "./revocations";
import { SessionService } from "./session.service";
import { TokenRateLimit } from "./token-rate-limit";
import { UserAdminResolver } from "./user-admin.resolver";
import { UserAdminService } from "./user-admin.service";
import { ViewerCache } from "./viewer-cache";

export interface IdentityDeps {
  config: AppConfig;
  dataSource: DataSource;
  redis: Redis;
  eventBus: EventBus;
  audit: AuditService;
  outbox: NotificationOutboxService;
  /** Defaults to process.env; read and validated at boot. */
  env?: NodeJS.ProcessEnv;
}

export interface IdentityModule {
  identity: IdentityService;
  sessions: SessionService;
  apiTokens: ApiTokenService;
  admin: UserAdminService;
  revocations: Revocations;
  authenticate: Authenticator;
  resolvers: [Function, object][];
}

/** Builds the identity services and resolvers (called from the composition root only). */
export function buildIdentity(deps: IdentityDeps): IdentityModule {
  const { config, dataSource, redis, eventBus } = deps;
  const settings = loadIdentityConfig(deps.env);
  const viewers = new ViewerCache(settings.authCacheTtlSeconds * 1000);
  const revocations = new Revocations(eventBus, viewers);
  const throttle = new LoginThrottle(redis, config.redisPrefix, settings);
  const sessions = new SessionService(dataSource, config, throttle, revocations, viewers);
  const apiTokens = new ApiTokenService(dataSource, new TokenRateLimit(redis, config.redisPrefix), revocations, settings.apiRateLimitPerMinute, viewers);
  const identity = new IdentityService({
    dataSource,
    sessions,
    outbox: deps.outbox,
    revocations,
    bcryptCost: config.bcryptCost,
    publicUrl: config.publicUrl,
    passwordResetTtlSeconds: settings.passwordResetTtlSeconds,
  });
  const admin = new UserAdminService(dataSource, deps.audit, sessions, revocations, eventBus);
  return {
    identity,
    sessions,
    apiTokens,
    admin,
    revocations,
    authenticate: createAuthenticator(sessions, apiTokens),
    resolvers: [
      [IdentityResolver, new IdentityResolver(identity, sessions)],
      [ApiTokenResolver, new ApiTokenResolver(apiTokens)],
      [UserAdminResolver, new UserAdminResolver(admin)],
    ],
  };
}
