import { type DataSource, type EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import type { Actor } from "../../core/actor";
import type { AuditService } from "../audit/audit.service";
import type { SupplierProduct } from "../fulfillment/supplier";
import type { PricingService } from "../pricing/pricing.service";
import { CategoryType, FulfilmentKind } from "./catalog.enums";
import type { CatalogService } from "./catalog.service";
import { Category } from "./category.entity";
import { Product } from "./product.entity";
import { SupplierSyncReport, type SyncChange, type SyncTrigger } from "./supplier-sync-report.entity";
import type { SupplierSyncConfig } from "./supplier-sync.config";
import { Variant } from "./variant.entity";

/** The part of a supplier the sync needs (DigiflazzClient implements it). */
export interface PriceListSource {
  priceList(options?: { kind?: "prepaid" | "postpaid" }): Promise<SupplierProduct[]>;
}

type Counts = Pick<SupplierSyncReport, "added" | "updated" | "deactivated" | "reactivated" | "flagged">;

const MAX_CODE = 64;

/**
 * The supplier price-list sync (issue 4). Reads the supplier's full prepaid
 * list and applies it to the variants of that supplier, matched by
 * (supplier, supplier SKU = Digiflazz buyer_sku_code):
 * - a new SKU becomes a variant switched OFF by the admin switch (`active`
 *   false) under an inactive "Unsorted" product per supplier category, so
 *   nothing is sold until an admin moves it into a real product and turns it on;
 * - a cost change is applied and every level's price recomputed; a change
 *   past the jump threshold (either way) is flagged for review;
 * - unavailable (buyer/seller status off, out of stock) or missing from the
 *   list → supplier_active false; back in the list and available → true;
 * - nothing is ever deleted.
 * One transaction (the supplier's variants are locked, so two runs queue up),
 * audited, report stored; the catalog cache is bumped after commit.
 * A list that cannot be read (e.g. rc 83) changes nothing and is reported as FAILED.
 */
export class SupplierSyncService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly catalog: CatalogService,
    private readonly pricing: PricingService,
    private readonly source: PriceListSource,
    private readonly config: SupplierSyncConfig,
    /** catalog's name for the supplier, as in product_variants.supplier */
    readonly supplier = "digiflazz",
  ) {}

  async run(actor: Actor | null, trigger: SyncTrigger): Promise<SupplierSyncReport> {
    const startedAt = new Date();
    let list: SupplierProduct[];
    try {
      list = await this.source.priceList({ kind: "prepaid" });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.dataSource.transaction((manager) =>
        this.saveReport(manager, actor, trigger, startedAt, "FAILED", zero(), [message], []),
      );
    }
    return this.catalog.change((manager) => this.apply(manager, actor, trigger, startedAt, list));
  }

  async reports(first: number): Promise<SupplierSyncReport[]> {
    return this.dataSource.getRepository(SupplierSyncReport).find({ order: { startedAt: "DESC", id: "DESC" }, take: first });
  }

  async report(id: string): Promise<SupplierSyncReport | null> {
    return this.dataSource.getRepository(SupplierSyncReport).findOne({ where: { id } });
  }

  private async apply(manager: EntityManager, actor: Actor | null, trigger: SyncTrigger, startedAt: Date, list: SupplierProduct[]): Promise<SupplierSyncReport> {
    const counts = zero();
    const errors: string[] = [];
    const changes: SyncChange[] = [];
    const reprice: string[] = [];
    // Locking the supplier's variants makes a second concurrent run wait and then see this run's result.
    const existing = await manager.find(Variant, { where: { supplier: this.supplier }, lock: { mode: "pessimistic_write" } });
    const byCode = new Map(existing.map((variant) => [variant.supplierSku ?? "", variant]));
    const seen = new Set<string>();
    const unsorted = new Map<string, string>();

    for (const item of list) {
      const code = item.sku;
      if (code === "" || code.length > MAX_CODE) {
        errors.push(`an item without a usable buyer_sku_code (${JSON.stringify(item.name)}) was skipped`);
        continue;
      }
      if (seen.has(code)) {
        errors.push(`${code}: listed twice; the second entry was ignored`);
        continue;
      }
      seen.add(code);
      if (!Number.isSafeInteger(item.price) || item.price <= 0) {
        errors.push(`${code}: no usable price (${String(item.price)}); left unchanged`);
        continue;
      }
      const variant = byCode.get(code);
      if (!variant) {
        const added = await this.addVariant(manager, item, unsorted, errors);
        if (added) {
          counts.added += 1;
          reprice.push(added.id);
          changes.push({ supplierSku: code, variantId: added.id, action: "ADDED", toCost: item.price });
        }
        continue;
      }
      const values: Partial<Variant> = {};
      if (variant.costPrice !== item.price) {
        const flagged = Math.abs(item.price - variant.costPrice) * 100 > this.config.priceJumpPercent * variant.costPrice;
        values.costPrice = item.price;
        if (flagged) {
          values.priceReview = true;
          // keep the cost from before the first unreviewed jump
          values.previousCostPrice = variant.priceReview && variant.previousCostPrice !== null ? variant.previousCostPrice : variant.costPrice;
          counts.flagged += 1;
        }
        counts.updated += 1;
        reprice.push(variant.id);
        changes.push({ supplierSku: code, variantId: variant.id, action: "UPDATED", fromCost: variant.costPrice, toCost: item.price, flagged });
      }
      if (variant.supplierActive !== item.available) {
        values.supplierActive = item.available;
        if (item.available) counts.reactivated += 1;
        else counts.deactivated += 1;
        changes.push({ supplierSku: code, variantId: variant.id, action: item.available ? "REACTIVATED" : "DEACTIVATED" });
      }
      if (Object.keys(values).length > 0) await manager.update(Variant, { id: variant.id }, values);
    }

    // Missing from the full list: the supplier no longer sells it (never deleted: orders point at it).
    for (const variant of existing) {
      if (variant.supplierSku !== null && !seen.has(variant.supplierSku) && variant.supplierActive) {
        await manager.update(Variant, { id: variant.id }, { supplierActive: false });
        counts.deactivated += 1;
        changes.push({ supplierSku: variant.supplierSku, variantId: variant.id, action: "DEACTIVATED" });
      }
    }

    await this.pricing.recomputeForVariants(manager, reprice);
    return this.saveReport(manager, actor, trigger, startedAt, "OK", counts, errors, changes);
  }

  /** A new supplier SKU: an inactive variant under the inactive "Unsorted" product of its supplier category. */
  private async addVariant(manager: EntityManager, item: SupplierProduct, unsorted: Map<string, string>, errors: string[]): Promise<Variant | null> {
    const sku = await this.freeSku(manager, item.sku);
    if (!sku) {
      errors.push(`${item.sku}: no free store SKU (${item.sku} and ${this.skuPrefix}${item.sku} are taken); not added`);
      return null;
    }
    const categoryName = item.category.trim() || "Other";
    let productId = unsorted.get(categoryName);
    if (!productId) {
      productId = await this.unsortedProduct(manager, categoryName);
      unsorted.set(categoryName, productId);
    }
    const variant: Partial<Variant> = {
      id: newId(),
      productId,
      name: (item.name.trim() || item.sku).slice(0, 160),
      sku,
      kind: FulfilmentKind.SUPPLIER,
      supplier: this.supplier,
      supplierSku: item.sku,
      costPrice: item.price,
      stock: null,
      active: false,
      supplierActive: item.available,
      sort: 0,
    };
    await manager.insert(Variant, variant);
    return variant as Variant;
  }

  private get skuPrefix(): string {
    return `${this.supplier.slice(0, 2).toUpperCase()}-`;
  }

  /** The supplier's code when the store SKU is free, else the code with a supplier prefix. */
  private async freeSku(manager: EntityManager, code: string): Promise<string | null> {
    for (const candidate of [code, `${this.skuPrefix}${code}`]) {
      if (candidate.length <= MAX_CODE && (await manager.count(Variant, { where: { sku: candidate } })) === 0) return candidate;
    }
    return null;
  }

  private async unsortedProduct(manager: EntityManager, supplierCategory: string): Promise<string> {
    const categorySlug = `unsorted-${this.supplier}`;
    let category = await manager.findOne(Category, { where: { slug: categorySlug } });
    if (!category) {
      await manager.insert(Category, { id: newId(), name: `Unsorted (${this.supplier})`, slug: categorySlug, type: CategoryType.OTHER, active: false, sort: 9999 });
      category = await manager.findOneOrFail(Category, { where: { slug: categorySlug } });
    }
    const slug = `${categorySlug}-${slugify(supplierCategory)}`.slice(0, 160);
    const product = await manager.findOne(Product, { where: { slug } });
    if (product) return product.id;
    const id = newId();
    await manager.insert(Product, {
      id,
      name: `Unsorted: ${supplierCategory} (${this.supplier})`.slice(0, 160),
      slug,
      categoryId: category.id,
      description: `New ${this.supplier} SKUs of the supplier category "${supplierCategory}". Move each variant into a real product and switch it on to sell it.`,
      active: false,
      sort: 9999,
      inputSchema: [],
      customerNoTemplate: null,
    });
    return id;
  }

  private async saveReport(
    manager: EntityManager,
    actor: Actor | null,
    trigger: SyncTrigger,
    startedAt: Date,
    status: SupplierSyncReport["status"],
    counts: Counts,
    errors: string[],
    changes: SyncChange[],
  ): Promise<SupplierSyncReport> {
    const report = Object.assign(new SupplierSyncReport(), {
      id: newId(),
      supplier: this.supplier,
      trigger,
      status,
      actorId: actor?.userId ?? null,
      ...counts,
      errors,
      changes,
      startedAt,
      finishedAt: new Date(),
    });
    await manager.insert(SupplierSyncReport, report);
    await this.audit.record(manager, {
      actorId: actor?.userId ?? null,
      ip: actor?.ip ?? null,
      action: "catalog.supplier_sync",
      targetType: "supplier_sync_report",
      targetId: report.id,
      after: { supplier: this.supplier, trigger, status, ...counts, errors: errors.length },
    });
    return manager.findOneOrFail(SupplierSyncReport, { where: { id: report.id } });
  }
}

function zero(): Counts {
  return { added: 0, updated: 0, deactivated: 0, reactivated: 0, flagged: 0 };
}

function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "other";
}
