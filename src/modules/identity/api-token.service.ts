import { findOneJoined } from "../../core/database";
import type { DataSource } from "typeorm";
import { IsNull } from "typeorm";
import { newId } from "../../core/ids";
import type { Viewer } from "../../core/context";
import { badInput, forbidden, notFound } from "../../core/errors";
import { ApiToken } from "./api-token.entity";
import type { Revocations } from "./revocations";
import { ApiScope } from "./scopes";
import { API_TOKEN_PATTERN, API_TOKEN_PREFIX, randomToken, sha256 } from "./secrets";
import type { TokenRateLimit } from "./token-rate-limit";
import { CustomerType, User, UserStatus } from "./user.entity";
import { checkName, LIMITS } from "./identity.validation";
import { refusedCredential, viewerOf } from "./viewer";
import type { ViewerCache } from "./viewer-cache";

const MAX_ACTIVE_TOKENS = 20;
/** lastUsedAt is refreshed at most this often, so a busy token does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface CreatedApiToken {
  token: string;
  apiToken: ApiToken;
}

/** Reseller API tokens: created (shown once), listed, revoked, and checked on every request. */
export class ApiTokenService {
  /** the newest lastUsedAt this process knows of, per token (read or written) */
  private readonly lastUsedSeen = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly rateLimit: TokenRateLimit,
    private readonly revocations: Revocations,
    private readonly defaultBudgetPerMinute: number,
    private readonly viewers: ViewerCache,
  ) {}

  async create(userId: string, rawName: string, scopes: ApiScope[]): Promise<CreatedApiToken> {
    const name = checkName(rawName, "name", LIMITS.tokenName);
    const unique = [...new Set(scopes)];
    if (unique.length === 0 || unique.some((scope) => !Object.values(ApiScope).includes(scope))) {
      throw badInput("Choose at least one scope", { field: "scopes" });
    }
    return this.dataSource.transaction(async (manager) => {
      // The user row lock serialises token creation, so the cap holds under concurrency.
      const user = await manager.findOne(User, { where: { id: userId }, lock: { mode: "pessimistic_write" } });
      if (!user) throw notFound("User");
      if (user.customerType !== CustomerType.RESELLER) throw forbidden("API tokens are for approved resellers");
      const active = await manager.countBy(ApiToken, { userId, revokedAt: IsNull() });
      if (active >= MAX_ACTIVE_TOKENS) throw badInput(`At most ${MAX_ACTIVE_TOKENS} active API tokens; revoke one first`);
      const token = `${API_TOKEN_PREFIX}${randomToken()}`;
      const apiToken = Object.assign(new ApiToken(), {
        id: newId(),
        userId,
        name,
        tokenHash: sha256(token),
        prefix: token.slice(0, 8),
        last4: token.slice(-4),
        scopes: unique,
        lastUsedAt: null,
        revokedAt: null,
      });
      await manager.insert(ApiToken, apiToken);
      return { token, apiToken };
    });
  }

  list(userId: string): Promise<ApiToken[]> {
    return this.dataSource.getRepository(ApiToken).find({ where: { userId }, order: { createdAt: "DESC", id: "DESC" } });
  }

  async revoke(userId: string, tokenId: string): Promise<ApiToken> {
    const revoked = await this.dataSource.transaction(async (manager) => {
      const token = await manager.findOne(ApiToken, { where: { id: tokenId, userId }, lock: { mode: "pessimistic_write" } });
      if (!token) throw notFound("API token");
      if (!token.revokedAt) {
        token.revokedAt = new Date();
        await manager.save(token);
      }
      return token;
    });
    this.revocations.publish({ tokenId });
    return revoked;
  }

  /**
   * Checks a bearer API token on every request (indexed hash lookup, user
   * status included, or the viewer cache, which revocations and account
   * changes empty at once) and spends one unit of its per-minute budget. A
   * refused request stops here, before any resolver runs.
   */
  async authenticate(token: string): Promise<Viewer> {
    const refused = () => refusedCredential("Invalid or revoked API token");
    if (!API_TOKEN_PATTERN.test(token)) throw refused();
    const tokenHash = sha256(token);
    const key = `api-token:${tokenHash}`;
    const cached = this.viewers.get(key);
    const cachedTokenId = cached?.viewer.tokenId;
    if (cached && cachedTokenId && cached.budgetPerMinute !== undefined) {
      await this.rateLimit.consume(cachedTokenId, cached.budgetPerMinute);
      await this.touch(cachedTokenId, null);
      return cached.viewer;
    }
    const stamp = this.viewers.stamp();
    const row = await this.dataSource.getRepository(ApiToken).findOneBy({ tokenHash });
    if (!row || row.revokedAt) throw refused();
    const user = await findOneJoined(this.dataSource.getRepository(User), { where: { id: row.userId }, relations: { level: true, roles: true } });
    if (!user || user.status !== UserStatus.ACTIVE) throw refused();
    const budgetPerMinute = user.apiRateLimitPerMinute ?? this.defaultBudgetPerMinute;
    await this.rateLimit.consume(row.id, budgetPerMinute);
    await this.touch(row.id, row.lastUsedAt);
    const viewer = viewerOf(user, { via: "api-token", tokenId: row.id, scopes: row.scopes });
    this.viewers.put(key, { viewer, budgetPerMinute }, stamp);
    return viewer;
  }

  /** Refreshes lastUsedAt at most once a minute per token (against the stored value or the newest this process saw). */
  private async touch(tokenId: string, stored: Date | null): Promise<void> {
    const last = Math.max(stored?.getTime() ?? 0, this.lastUsedSeen.get(tokenId) ?? 0);
    if (Date.now() - last <= LAST_USED_RESOLUTION_MS) return void this.lastUsedSeen.set(tokenId, last);
    this.lastUsedSeen.set(tokenId, Date.now());
    await this.dataSource.getRepository(ApiToken).update({ id: tokenId }, { lastUsedAt: new Date() });
  }
}
