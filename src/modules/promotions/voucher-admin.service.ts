import { DataSource, type EntityManager, LessThan } from "typeorm";
import { newId } from "../../core/ids";
import { badInput, conflict, notFound } from "../../core/errors";
import { sqlCode } from "../../core/ledger";
import { toPage, type Page } from "../../core/paging";
import type { AuditService } from "../audit/audit.service";
import type { AdminActor } from "../wallet/wallet.service";
import { Voucher, VoucherKind, VoucherScope } from "./voucher.entity";
import { VoucherCategory } from "./voucher-category.entity";
import { VoucherProduct } from "./voucher-product.entity";
import { VoucherUsage } from "./voucher-usage.entity";
import { normaliseCode } from "./voucher-rules";

export interface VoucherDraft {
  code: string;
  name: string;
  description?: string | null;
  kind: VoucherKind;
  value: number;
  maxDiscount?: number | null;
  minSpend?: number;
  scope: VoucherScope;
  categoryIds?: string[];
  productIds?: string[];
  validFrom?: Date | null;
  validUntil?: Date | null;
  totalLimit?: number | null;
  perUserLimit?: number | null;
  active?: boolean;
  isPublic?: boolean;
}

export interface VoucherDetail {
  voucher: Voucher;
  categoryIds: string[];
  productIds: string[];
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Admin CRUD for vouchers; every change is audited in the same transaction. */
export class VoucherAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: AdminActor, draft: VoucherDraft): Promise<VoucherDetail> {
    const fields = validate(draft);
    return this.dataSource.transaction(async (manager) => {
      const voucher = Object.assign(new Voucher(), fields.row, { id: newId(), usedCount: 0 });
      await uniqueCode(() => manager.insert(Voucher, voucher));
      await this.replaceScope(manager, voucher.id, fields);
      const detail = await this.detail(manager, voucher.id);
      await this.audit.record(manager, { ...who(actor), action: "voucher.create", targetType: "voucher", targetId: voucher.id, after: snapshot(detail) });
      return detail;
    });
  }

  /** Replaces every editable field; used_count is not editable. */
  async update(actor: AdminActor, id: string, draft: VoucherDraft): Promise<VoucherDetail> {
    const fields = validate(draft);
    return this.dataSource.transaction(async (manager) => {
      const before = await this.detail(manager, id, true);
      await uniqueCode(() => manager.update(Voucher, { id }, fields.row));
      await this.replaceScope(manager, id, fields);
      const after = await this.detail(manager, id);
      await this.audit.record(manager, { ...who(actor), action: "voucher.update", targetType: "voucher", targetId: id, before: snapshot(before), after: snapshot(after) });
      return after;
    });
  }

  /** Only a never-used voucher can be deleted; deactivate the others. */
  async remove(actor: AdminActor, id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.detail(manager, id, true);
      if ((await manager.countBy(VoucherUsage, { voucherId: id })) > 0) {
        throw conflict("This voucher has been used; deactivate it instead");
      }
      await manager.delete(Voucher, { id });
      await this.audit.record(manager, { ...who(actor), action: "voucher.delete", targetType: "voucher", targetId: id, before: snapshot(before) });
      return true;
    });
  }

  async get(id: string): Promise<VoucherDetail> {
    return this.detail(this.dataSource.manager, id);
  }

  /** Newest first; the cursor is the last voucher's id. */
  async list(first: number, after?: string | null): Promise<Page<VoucherDetail>> {
    if (after && !ULID.test(after)) throw badInput("Invalid cursor");
    const rows = await this.dataSource.getRepository(Voucher).find({
      where: after ? { id: LessThan(after) } : {},
      order: { id: "DESC" },
      take: first + 1,
    });
    const page = toPage(rows, first, (row) => row.id);
    const items = await Promise.all(page.items.map((voucher) => this.detail(this.dataSource.manager, voucher.id)));
    return { items, nextCursor: page.nextCursor };
  }

  private async detail(manager: EntityManager, id: string, lock = false): Promise<VoucherDetail> {
    const voucher = await manager.findOne(Voucher, { where: { id }, ...(lock ? { lock: { mode: "pessimistic_write" as const } } : {}) });
    if (!voucher) throw notFound("Voucher");
    const [categories, products] = await Promise.all([
      manager.findBy(VoucherCategory, { voucherId: id }),
      manager.findBy(VoucherProduct, { voucherId: id }),
    ]);
    return {
      voucher,
      categoryIds: categories.map((row) => row.categoryId).sort(),
      productIds: products.map((row) => row.productId).sort(),
    };
  }

  private async replaceScope(manager: EntityManager, voucherId: string, fields: ValidDraft): Promise<void> {
    await manager.delete(VoucherCategory, { voucherId });
    await manager.delete(VoucherProduct, { voucherId });
    if (fields.categoryIds.length > 0) {
      await manager.insert(VoucherCategory, fields.categoryIds.map((categoryId) => ({ id: newId(), voucherId, categoryId })));
    }
    if (fields.productIds.length > 0) {
      await manager.insert(VoucherProduct, fields.productIds.map((productId) => ({ id: newId(), voucherId, productId })));
    }
  }
}

interface ValidDraft {
  row: Omit<Voucher, "id" | "createdAt" | "updatedAt" | "usedCount" | "categories" | "products" | "assignId">;
  categoryIds: string[];
  productIds: string[];
}

/** Every rule on an admin's voucher; BAD_USER_INPUT names the field. */
function validate(draft: VoucherDraft): ValidDraft {
  const fail = (field: string, message: string) => badInput(message, { field });
  const code = normaliseCode(draft.code);
  if (!/^[A-Z0-9_-]{3,40}$/.test(code)) throw fail("code", "Code: 3 to 40 letters, digits, - or _");
  const name = draft.name.trim();
  if (name.length < 1 || name.length > 120) throw fail("name", "Name: 1 to 120 characters");
  const whole = (value: number, min: number, max = Number.MAX_SAFE_INTEGER) => Number.isSafeInteger(value) && value >= min && value <= max;
  if (draft.kind === VoucherKind.PERCENT && !whole(draft.value, 1, 10_000)) {
    throw fail("value", "A percent voucher's value is basis points from 1 to 10000 (100%)");
  }
  if (draft.kind === VoucherKind.FIXED && !whole(draft.value, 1)) throw fail("value", "A fixed voucher's value is whole rupiah above zero");
  const optional = (field: string, value: number | null | undefined, min: number) => {
    if (value === null || value === undefined) return null;
    if (!whole(value, min)) throw fail(field, `${field} must be a whole number of at least ${min}`);
    return value;
  };
  const validFrom = draft.validFrom ?? null;
  const validUntil = draft.validUntil ?? null;
  if (validFrom && validUntil && validFrom >= validUntil) throw fail("validUntil", "validUntil must be after validFrom");
  const ids = (field: string, list: string[] | undefined, wanted: boolean) => {
    const unique = [...new Set(list ?? [])];
    if (!wanted) {
      if (unique.length > 0) throw fail(field, `${field} only goes with the matching scope`);
      return [];
    }
    if (unique.length === 0) throw fail(field, `This scope needs at least one id in ${field}`);
    if (unique.some((id) => !ULID.test(id))) throw fail(field, `${field} must be catalog ids`);
    return unique;
  };
  return {
    row: {
      code,
      name,
      description: draft.description?.trim() || null,
      kind: draft.kind,
      value: draft.value,
      maxDiscount: optional("maxDiscount", draft.maxDiscount, 1),
      minSpend: optional("minSpend", draft.minSpend, 0) ?? 0,
      scope: draft.scope,
      validFrom,
      validUntil,
      totalLimit: optional("totalLimit", draft.totalLimit, 1),
      perUserLimit: optional("perUserLimit", draft.perUserLimit, 1),
      active: draft.active ?? true,
      isPublic: draft.isPublic ?? false,
    },
    categoryIds: ids("categoryIds", draft.categoryIds, draft.scope === VoucherScope.CATEGORIES),
    productIds: ids("productIds", draft.productIds, draft.scope === VoucherScope.PRODUCTS),
  };
}

/** A duplicate code is the admin's to fix, not an internal error. */
async function uniqueCode(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (sqlCode(error) === "ER_DUP_ENTRY") throw conflict("Another voucher has this code", { field: "code" });
    throw error;
  }
}

const who = (actor: AdminActor) => ({ actorId: actor.actorId, ip: actor.ip ?? null });

function snapshot({ voucher, categoryIds, productIds }: VoucherDetail): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, categories: _cat, products: _prod, ...fields } = voucher;
  return { ...fields, categoryIds, productIds };
}
