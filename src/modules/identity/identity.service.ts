import { findOneJoined } from "../../core/database";
import bcrypt from "bcrypt";
import { IsNull, type DataSource, type EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import { badInput, conflict, notFound } from "../../core/errors";
import type { NotificationOutboxService } from "../notifications/notification-outbox.service";
import { NotificationChannel } from "../notifications/notification-outbox.entity";
import { MemberLevel } from "./member-level.entity";
import { PasswordReset } from "./password-reset.entity";
import type { Revocations } from "./revocations";
import { Role } from "./role";
import { randomToken, sha256, TOKEN_BODY } from "./secrets";
import type { SessionService, SessionTokens } from "./session.service";
import { CustomerType, User, UserStatus } from "./user.entity";
import { UserRole } from "./user-role.entity";
import { checkName, checkPassword, normalizeEmail, normalizeWhatsapp } from "./identity.validation";

export interface RegisterInput {
  name: string;
  email: string;
  password: string;
  whatsapp?: string | null;
}

export interface ProfileInput {
  name?: string | null;
  /** null or "" clears it */
  whatsapp?: string | null;
}

export interface IdentityServiceDeps {
  dataSource: DataSource;
  sessions: SessionService;
  outbox: NotificationOutboxService;
  revocations: Revocations;
  bcryptCost: number;
  publicUrl: string;
  passwordResetTtlSeconds: number;
}

/** A user's own account: registration, profile, password change and reset. Also the lookups other modules use. */
export class IdentityService {
  constructor(private readonly deps: IdentityServiceDeps) {}

  /** Creates a RETAIL customer (role CUSTOMER only; nothing the caller sends can add more) and signs them in. */
  async register(input: RegisterInput, ip: string): Promise<SessionTokens> {
    const name = checkName(input.name);
    const email = normalizeEmail(input.email);
    const password = checkPassword(input.password);
    const whatsapp = input.whatsapp ? normalizeWhatsapp(input.whatsapp) : null;
    const passwordHash = await bcrypt.hash(password, this.deps.bcryptCost);
    return this.deps.dataSource.transaction(async (manager) => {
      const level = await manager.findOneByOrFail(MemberLevel, { code: "RETAIL" });
      if (await manager.existsBy(User, { email })) throw conflict("An account with this email already exists", { field: "email" });
      const userId = newId();
      try {
        await manager.insert(User, { id: userId, name, email, whatsapp, passwordHash, levelId: level.id, customerType: CustomerType.RETAIL });
      } catch (error) {
        // two registrations racing for one email: the unique index decides
        if ((error as { code?: string }).code === "ER_DUP_ENTRY") throw conflict("An account with this email already exists", { field: "email" });
        throw error;
      }
      await manager.insert(UserRole, { id: newId(), userId, role: Role.CUSTOMER });
      return this.deps.sessions.open(manager, userId, ip);
    });
  }

  async updateProfile(userId: string, input: ProfileInput): Promise<User> {
    const changes: Partial<Pick<User, "name" | "whatsapp">> = {};
    if (input.name !== undefined && input.name !== null) changes.name = checkName(input.name);
    if (input.whatsapp !== undefined) changes.whatsapp = input.whatsapp ? normalizeWhatsapp(input.whatsapp) : null;
    if (Object.keys(changes).length > 0) await this.deps.dataSource.getRepository(User).update({ id: userId }, changes);
    return this.getUser(userId);
  }

  /** Keeps the current session; every other session of the user ends. */
  async changePassword(userId: string, sessionId: string | undefined, currentPassword: string, newPassword: string): Promise<void> {
    checkPassword(newPassword, "newPassword");
    const user = await this.getUser(userId);
    if (!(await bcrypt.compare(String(currentPassword ?? "").slice(0, 200), user.passwordHash))) {
      throw badInput("Current password is wrong", { field: "currentPassword" });
    }
    const passwordHash = await bcrypt.hash(newPassword, this.deps.bcryptCost);
    const revoked = await this.deps.dataSource.transaction(async (manager) => {
      await manager.update(User, { id: userId }, { passwordHash });
      return this.deps.sessions.revokeAllForUser(manager, userId, "password-change", sessionId);
    });
    for (const id of revoked) this.deps.revocations.publish({ sessionId: id });
  }

  /**
   * Always answers the same way whether or not the email has an account; when
   * it does, a single-use link (hash stored, 1 h) goes to the notification outbox.
   */
  async requestPasswordReset(rawEmail: string): Promise<void> {
    const email = normalizeEmail(rawEmail);
    await this.deps.dataSource.transaction(async (manager) => {
      const user = await manager.findOneBy(User, { email, status: UserStatus.ACTIVE });
      if (!user) return;
      const token = randomToken();
      await manager.insert(PasswordReset, {
        id: newId(),
        userId: user.id,
        tokenHash: sha256(token),
        expiresAt: new Date(Date.now() + this.deps.passwordResetTtlSeconds * 1000),
        usedAt: null,
      });
      await this.deps.outbox.enqueue(manager, {
        channel: NotificationChannel.EMAIL,
        recipient: user.email,
        template: "password-reset",
        payload: {
          name: user.name,
          resetUrl: `${this.deps.publicUrl}/reset-password?token=${token}`,
          expiresInMinutes: Math.round(this.deps.passwordResetTtlSeconds / 60),
        },
      });
    });
  }

  /** Uses a reset token once; every session of the user ends. */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    if (typeof token !== "string" || !TOKEN_BODY.test(token)) throw badInput("Malformed reset token", { field: "token" });
    checkPassword(newPassword, "newPassword");
    const passwordHash = await bcrypt.hash(newPassword, this.deps.bcryptCost);
    const revoked = await this.deps.dataSource.transaction(async (manager) => {
      const reset = await manager.findOne(PasswordReset, {
        where: { tokenHash: sha256(token), usedAt: IsNull() },
        lock: { mode: "pessimistic_write" },
      });
      if (!reset || reset.expiresAt.getTime() <= Date.now()) throw badInput("This reset link is invalid, used or expired", { field: "token" });
      const user = await manager.findOneBy(User, { id: reset.userId, status: UserStatus.ACTIVE });
      if (!user) throw badInput("This reset link is invalid, used or expired", { field: "token" });
      reset.usedAt = new Date();
      await manager.save(reset);
      await manager.update(User, { id: user.id }, { passwordHash });
      return this.deps.sessions.revokeAllForUser(manager, user.id, "password-reset");
    });
    for (const id of revoked) this.deps.revocations.publish({ sessionId: id });
  }

  /** A user with level and roles; NOT_FOUND when missing. */
  async getUser(userId: string, manager?: EntityManager): Promise<User> {
    const repo = (manager ?? this.deps.dataSource.manager).getRepository(User);
    const user = await findOneJoined(repo, { where: { id: userId }, relations: { level: true, roles: true } });
    if (!user) throw notFound("User");
    return user;
  }

  /** Users by id in one query (for DataLoaders of other modules); missing ids are left out. */
  async findUsers(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    return this.deps.dataSource.getRepository(User).find({ where: ids.map((id) => ({ id })), relations: { level: true, roles: true } });
  }

  memberLevels(): Promise<MemberLevel[]> {
    return this.deps.dataSource.getRepository(MemberLevel).find({ order: { rank: "ASC" } });
  }
}
