import { findOneJoined } from "../../core/database";
import { Brackets, In, type DataSource, type EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import type { EventBus } from "../../core/event-bus";
import { badInput, forbidden, notFound } from "../../core/errors";
import type { AuditService } from "../audit/audit.service";
import { MemberLevel } from "./member-level.entity";
import type { Revocations } from "./revocations";
import { Role } from "./role";
import type { SessionService } from "./session.service";
import { CustomerType, User, UserStatus } from "./user.entity";
import { UserRole } from "./user-role.entity";
import { checkPaging, LIMITS } from "./identity.validation";

/** Who made an admin change and from where (goes into activity_log). */
export interface Actor {
  userId: string;
  ip: string | null;
}

export interface UserSearch {
  search?: string | null;
  status?: UserStatus | null;
  customerType?: CustomerType | null;
  offset: number;
  limit: number;
}

export const ACCOUNT_UPDATED = "ACCOUNT_UPDATED";

/** What an account event subscriber hears (JSON-safe: it crosses Redis). */
export interface AccountEventPayload {
  userId: string;
  change: string;
  at: string;
}

/** The fields an admin change is audited with. */
function snapshot(user: User): Record<string, unknown> {
  return {
    status: user.status,
    customerType: user.customerType,
    level: user.level?.code ?? null,
    roles: (user.roles ?? []).map((row) => row.role).sort(),
    apiRateLimitPerMinute: user.apiRateLimitPerMinute,
  };
}

/**
 * Staff work on accounts: search, view, roles, level, reseller approval,
 * suspension and the reseller API budget. Every change locks the user row,
 * writes activity_log with before/after in the same transaction, then tells
 * the account's live subscribers.
 */
export class UserAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
    private readonly revocations: Revocations,
    private readonly eventBus: EventBus,
  ) {}

  async list(query: UserSearch): Promise<{ items: User[]; total: number }> {
    checkPaging(query.offset, query.limit);
    const search = query.search?.trim() ?? "";
    if (search.length > LIMITS.search) throw badInput(`search must be at most ${LIMITS.search} characters`, { field: "search" });
    const qb = this.dataSource.getRepository(User).createQueryBuilder("u");
    if (search) {
      const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
      qb.andWhere(new Brackets((w) => w.where("u.email LIKE :like", { like }).orWhere("LOWER(u.name) LIKE :like", { like }).orWhere("u.whatsapp LIKE :like", { like })));
    }
    if (query.status) qb.andWhere("u.status = :status", { status: query.status });
    if (query.customerType) qb.andWhere("u.customer_type = :customerType", { customerType: query.customerType });
    const [page, total] = await qb.orderBy("u.id", "DESC").skip(query.offset).take(query.limit).getManyAndCount();
    if (page.length === 0) return { items: [], total };
    const loaded = await this.dataSource.getRepository(User).find({
      where: { id: In(page.map((user) => user.id)) },
      relations: { level: true, roles: true },
      order: { id: "DESC" },
    });
    return { items: loaded, total };
  }

  async get(userId: string): Promise<User> {
    const user = await findOneJoined(this.dataSource.getRepository(User), { where: { id: userId }, relations: { level: true, roles: true } });
    if (!user) throw notFound("User");
    return user;
  }

  /** Replaces a user's roles. An admin cannot change their own roles (no lock-out, no self-grant). */
  async setRoles(actor: Actor, userId: string, roles: Role[]): Promise<User> {
    const wanted = [...new Set(roles)];
    if (wanted.some((role) => !Object.values(Role).includes(role))) throw badInput("Unknown role", { field: "roles" });
    if (actor.userId === userId) throw forbidden("You cannot change your own roles");
    return this.change(actor, userId, "user.roles.set", async (manager, user) => {
      await manager.delete(UserRole, { userId });
      if (wanted.length > 0) await manager.insert(UserRole, wanted.map((role) => ({ id: newId(), userId, role })));
    });
  }

  async setLevel(actor: Actor, userId: string, levelCode: string): Promise<User> {
    const level = await this.levelByCode(levelCode);
    return this.change(actor, userId, "user.level.set", async (manager) => {
      await manager.update(User, { id: userId }, { levelId: level.id });
    });
  }

  /** Approving a reseller makes them RESELLER in both customer type and level. */
  async approveReseller(actor: Actor, userId: string): Promise<User> {
    const level = await this.levelByCode("RESELLER");
    return this.change(actor, userId, "user.reseller.approve", async (manager) => {
      await manager.update(User, { id: userId }, { customerType: CustomerType.RESELLER, levelId: level.id });
    });
  }

  /** Suspends a user: every session ends now; API tokens and live sockets are refused from the next request. */
  async suspend(actor: Actor, userId: string): Promise<User> {
    if (actor.userId === userId) throw forbidden("You cannot suspend yourself");
    const user = await this.change(actor, userId, "user.suspend", async (manager) => {
      await manager.update(User, { id: userId }, { status: UserStatus.SUSPENDED });
      await this.sessions.revokeAllForUser(manager, userId, "suspended");
    });
    this.revocations.publish({ userId });
    return user;
  }

  async reactivate(actor: Actor, userId: string): Promise<User> {
    return this.change(actor, userId, "user.reactivate", async (manager) => {
      await manager.update(User, { id: userId }, { status: UserStatus.ACTIVE });
    });
  }

  /** Per-reseller API budget (requests per minute); null returns to the store default. */
  async setApiRateLimit(actor: Actor, userId: string, perMinute: number | null): Promise<User> {
    if (perMinute !== null && (!Number.isInteger(perMinute) || perMinute < 1 || perMinute > 1_000_000)) {
      throw badInput("perMinute must be 1 to 1000000, or null for the default", { field: "perMinute" });
    }
    return this.change(actor, userId, "user.api-rate-limit.set", async (manager) => {
      await manager.update(User, { id: userId }, { apiRateLimitPerMinute: perMinute });
    });
  }

  private async levelByCode(code: string): Promise<MemberLevel> {
    if (typeof code !== "string" || code.length > 32) throw badInput("Unknown member level", { field: "levelCode" });
    const level = await this.dataSource.getRepository(MemberLevel).findOneBy({ code: code.trim().toUpperCase() });
    if (!level) throw badInput(`Unknown member level "${code.slice(0, 32)}"`, { field: "levelCode" });
    return level;
  }

  /** Lock → before → apply → after → audit, in one transaction; then the account's subscribers hear of it. */
  private async change(
    actor: Actor,
    userId: string,
    action: string,
    apply: (manager: EntityManager, user: User) => Promise<void>,
  ): Promise<User> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const locked = await manager.findOne(User, { where: { id: userId }, lock: { mode: "pessimistic_write" } });
      if (!locked) throw notFound("User");
      const load = () => manager.findOneOrFail(User, { where: { id: userId }, relations: { level: true, roles: true } });
      const before = await load();
      await apply(manager, before);
      const after = await load();
      await this.audit.record(manager, {
        actorId: actor.userId,
        action,
        targetType: "user",
        targetId: userId,
        before: snapshot(before),
        after: snapshot(after),
        ip: actor.ip,
      });
      return after;
    });
    this.revocations.changed(userId);
    const event: AccountEventPayload = { userId, change: action, at: new Date().toISOString() };
    this.eventBus.publish(ACCOUNT_UPDATED, userId, event);
    return updated;
  }
}
