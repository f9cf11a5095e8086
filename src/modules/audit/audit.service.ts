import type { DataSource, EntityManager } from "typeorm";
import { badInput } from "../../core/errors";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { newId } from "../../core/ids";
import { currentScope } from "../../core/request-context";
import { ActivityLog } from "./activity-log.entity";

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  ip?: string | null;
}

export interface AuditQuery {
  targetType?: string | null;
  targetId?: string | null;
  actorId?: string | null;
  from?: Date | null;
  to?: Date | null;
  offset: number;
  limit: number;
}

/** Writes activity_log rows inside the caller's transaction, so a change and its audit row commit together. */
export class AuditService {
  constructor(private readonly dataSource?: DataSource) {}

  /** Newest first; filter by target, actor and a time range [from, to). */
  async search(query: AuditQuery): Promise<{ items: ActivityLog[]; total: number }> {
    if (!this.dataSource) throw new Error("AuditService.search needs a DataSource");
    if (!Number.isInteger(query.offset) || query.offset < 0) throw badInput("offset must be 0 or more", { field: "offset" });
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 100) throw badInput("limit must be 1 to 100", { field: "limit" });
    for (const [field, value, max] of [["targetType", query.targetType, 60], ["targetId", query.targetId, 64], ["actorId", query.actorId, 26]] as const) {
      if (value != null && value.length > max) throw badInput(`${field} must be at most ${max} characters`, { field });
    }
    if (query.from && query.to && query.from > query.to) throw badInput("from must be before to", { field: "from" });
    const qb = this.dataSource.getRepository(ActivityLog).createQueryBuilder("a");
    if (query.targetType) qb.andWhere("a.target_type = :targetType", { targetType: query.targetType });
    if (query.targetId) qb.andWhere("a.target_id = :targetId", { targetId: query.targetId });
    if (query.actorId) qb.andWhere("a.actor_id = :actorId", { actorId: query.actorId });
    if (query.from) qb.andWhere("a.created_at >= :from", { from: query.from });
    if (query.to) qb.andWhere("a.created_at < :to", { to: query.to });
    const [items, total] = await qb.orderBy("a.created_at", "DESC").addOrderBy("a.id", "DESC").skip(query.offset).take(query.limit).getManyAndCount();
    return { items, total };
  }

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const { before, after } = changedFields(entry.before ?? null, entry.after ?? null);
    const row = Object.assign(new ActivityLog(), entry, {
      id: newId(),
      before,
      after,
      ip: entry.ip ?? null,
      requestId: currentScope()?.requestId ?? null,
    });
    await manager.insert(ActivityLog, row as QueryDeepPartialEntity<ActivityLog>);
  }
}

/** Keeps only the fields whose value differs, so the log shows what changed. */
export function changedFields(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): { before: Record<string, unknown> | null; after: Record<string, unknown> | null } {
  if (!before || !after) return { before, after };
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of keys) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

/** A row's fields for an audit entry, without the timestamps (they always differ). */
export function auditFields(row: object): Record<string, unknown> {
  const { createdAt: _created, updatedAt: _updated, ...fields } = row as Record<string, unknown>;
  return fields;
}
