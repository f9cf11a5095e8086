import { findOneJoined } from "../../core/database";
import { createSecretKey, type KeyObject } from "node:crypto";
import bcrypt from "bcrypt";
import jwt from "jsonwebtoken";
import { In, IsNull, Not, type DataSource, type EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import type { Viewer } from "../../core/context";
import { badInput, unauthenticated } from "../../core/errors";
import type { LoginThrottle } from "./login-throttle";
import { RefreshToken } from "./refresh-token.entity";
import type { Revocations } from "./revocations";
import { randomToken, sha256, TOKEN_BODY } from "./secrets";
import { Session } from "./session.entity";
import { User, UserStatus } from "./user.entity";
import { normalizeEmail } from "./identity.validation";
import { refusedCredential, viewerOf } from "./viewer";
import type { ViewerCache } from "./viewer-cache";

export interface SessionTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  userId: string;
}

export interface SessionSettings {
  bcryptCost: number;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}


const invalidCredentials = () => unauthenticated("Invalid email or password");
const sessionExpired = () => unauthenticated("Session expired or revoked; sign in again");

/**
 * Sessions: sign-in, access JWTs (HS256, carrying the session id), refresh
 * tokens that rotate on every use (reuse revokes the family), logout and the
 * per-request check that the session and its user are still good.
 */
export class SessionService {
  /** Compared against when the email is unknown, so both answers take as long. */
  private readonly dummyHash: string;
  /** jsonwebtoken given a string tries to parse it as a public key (and fails) on every call */
  private readonly jwtKey: KeyObject;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: SessionSettings,
    private readonly throttle: LoginThrottle,
    private readonly revocations: Revocations,
    private readonly viewers: ViewerCache,
  ) {
    this.dummyHash = bcrypt.hashSync(randomToken(), settings.bcryptCost);
    this.jwtKey = createSecretKey(Buffer.from(settings.jwtSecret));
  }

  async login(rawEmail: string, password: string, ip: string): Promise<SessionTokens> {
    if (typeof password !== "string" || password.length === 0 || password.length > 200) {
      throw badInput("Enter your password", { field: "password" });
    }
    const email = normalizeEmail(rawEmail);
    await this.throttle.beforeAttempt(email, ip);
    const user = await this.dataSource.getRepository(User).findOneBy({ email });
    const matches = await bcrypt.compare(password, user?.passwordHash ?? this.dummyHash);
    if (!user || !matches) {
      await this.throttle.failed(email, ip);
      throw invalidCredentials();
    }
    if (user.status !== UserStatus.ACTIVE) throw invalidCredentials();
    await this.throttle.succeeded(email, ip);
    return this.dataSource.transaction((manager) => this.open(manager, user.id, ip));
  }

  /** Starts a session for a user inside the caller's transaction (sign-in, registration). */
  async open(manager: EntityManager, userId: string, ip: string | null): Promise<SessionTokens> {
    const session = await manager.save(Object.assign(new Session(), { id: newId(), userId, ip, revokedAt: null, revokedReason: null }));
    return this.issue(manager, session);
  }

  async refresh(refreshToken: string): Promise<SessionTokens> {
    if (typeof refreshToken !== "string" || !TOKEN_BODY.test(refreshToken)) {
      throw badInput("Malformed refresh token", { field: "refreshToken" });
    }
    const outcome = await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(RefreshToken, {
        where: { tokenHash: sha256(refreshToken) },
        lock: { mode: "pessimistic_write" },
      });
      if (!row) return { refused: true as const };
      const session = await manager.findOne(Session, { where: { id: row.sessionId }, lock: { mode: "pessimistic_write" } });
      if (!session || session.revokedAt) return { refused: true as const };
      if (row.usedAt) {
        // An old token came back: someone else holds the family. End it.
        await this.revoke(manager, session, "refresh-reuse");
        return { refused: true as const, reused: session.id };
      }
      const user = await manager.findOneBy(User, { id: session.userId });
      if (!user || user.status !== UserStatus.ACTIVE || row.expiresAt.getTime() <= Date.now()) return { refused: true as const };
      row.usedAt = new Date();
      await manager.save(row);
      return { refused: false as const, tokens: await this.issue(manager, session) };
    });
    if (outcome.refused) {
      if ("reused" in outcome && outcome.reused) this.revocations.publish({ sessionId: outcome.reused });
      throw sessionExpired();
    }
    return outcome.tokens;
  }

  async logout(sessionId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const session = await manager.findOne(Session, { where: { id: sessionId }, lock: { mode: "pessimistic_write" } });
      if (session && !session.revokedAt) await this.revoke(manager, session, "logout");
    });
    this.revocations.publish({ sessionId });
  }

  /** Ends every open session of a user (suspension, password reset/change) inside the caller's transaction. */
  async revokeAllForUser(manager: EntityManager, userId: string, reason: string, keepSessionId?: string): Promise<string[]> {
    const open = await manager.find(Session, {
      where: { userId, revokedAt: IsNull(), ...(keepSessionId ? { id: Not(keepSessionId) } : {}) },
    });
    if (open.length === 0) return [];
    const ids = open.map((session) => session.id);
    await manager.update(Session, { id: In(ids) }, { revokedAt: new Date(), revokedReason: reason });
    return ids;
  }

  /**
   * Checks an access JWT, and that its session and user are still good: from
   * the database, or from the viewer cache, which revocations and account
   * changes empty at once.
   */
  async authenticate(accessToken: string): Promise<Viewer> {
    let claims: jwt.JwtPayload;
    try {
      const verified = jwt.verify(accessToken, this.jwtKey, { algorithms: ["HS256"] });
      if (typeof verified === "string") throw new Error("unexpected payload");
      claims = verified;
    } catch {
      throw refusedCredential("Invalid or expired access token");
    }
    if (typeof claims.sid !== "string" || typeof claims.sub !== "string") throw refusedCredential("Invalid access token");
    const expiresAt = typeof claims.exp === "number" ? claims.exp * 1000 : undefined;
    const cached = this.viewers.get(claims.sid)?.viewer;
    if (cached?.userId === claims.sub) return { ...cached, expiresAt };
    const stamp = this.viewers.stamp();
    const session = await this.dataSource.getRepository(Session).findOneBy({ id: claims.sid });
    if (!session || session.revokedAt || session.userId !== claims.sub) throw refusedCredential("Session expired or revoked; sign in again");
    const user = await findOneJoined(this.dataSource.getRepository(User), { where: { id: session.userId }, relations: { level: true, roles: true } });
    if (!user || user.status !== UserStatus.ACTIVE) throw refusedCredential("Session expired or revoked; sign in again");
    const viewer = viewerOf(user, { via: "session", sessionId: session.id });
    this.viewers.put(session.id, { viewer }, stamp);
    return { ...viewer, expiresAt };
  }

  private async revoke(manager: EntityManager, session: Session, reason: string): Promise<void> {
    session.revokedAt = new Date();
    session.revokedReason = reason;
    await manager.save(session);
  }

  private async issue(manager: EntityManager, session: Session): Promise<SessionTokens> {
    const { accessTokenTtlSeconds, refreshTokenTtlSeconds } = this.settings;
    const refreshToken = randomToken();
    const refreshTokenExpiresAt = new Date(Date.now() + refreshTokenTtlSeconds * 1000);
    await manager.insert(RefreshToken, {
      id: newId(),
      sessionId: session.id,
      tokenHash: sha256(refreshToken),
      expiresAt: refreshTokenExpiresAt,
      usedAt: null,
    });
    const accessToken = jwt.sign({ sid: session.id }, this.jwtKey, {
      algorithm: "HS256",
      subject: session.userId,
      expiresIn: accessTokenTtlSeconds,
      jwtid: newId(),
    });
    return {
      accessToken,
      accessTokenExpiresAt: new Date(Date.now() + accessTokenTtlSeconds * 1000),
      refreshToken,
      refreshTokenExpiresAt,
      userId: session.userId,
    };
  }
}
