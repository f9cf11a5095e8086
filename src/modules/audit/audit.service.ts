import type { EntityManager } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { ulid } from "ulid";
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

/** Writes activity_log rows inside the caller's transaction, so a change and its audit row commit together. */
export class AuditService {
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const { before, after } = changedFields(entry.before ?? null, entry.after ?? null);
    const row = Object.assign(new ActivityLog(), entry, {
      id: ulid(),
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
