import { In, type DataSource, type EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import type { Actor } from "../../core/actor";
import { bulkId, bulkUpsert } from "../../core/bulk";
import { badInput, notFound } from "../../core/errors";
import type { AuditService } from "../audit/audit.service";
import type { CatalogCache } from "../catalog/catalog-cache";
import { MarkupRule } from "./markup-rule.entity";
import { VariantPrice } from "./variant-price.entity";
import type { PricingConfig } from "./pricing.config";
import { effectivePrice, markupPrice } from "./price-math";

/** What pricing needs to know about a variant; catalog answers it (pricing never reads catalog's tables). */
export interface CostBasis {
  variantId: string;
  categoryId: string;
  cost: number;
}

export interface CostSource {
  costBasis(manager: EntityManager, variantIds: readonly string[]): Promise<CostBasis[]>;
  /** null = every variant */
  variantIdsInCategory(manager: EntityManager, categoryId: string | null): Promise<string[]>;
  categoryExists(manager: EntityManager, categoryId: string): Promise<boolean>;
}

export const DEFAULT_CATEGORY = "*";
const CHUNK = 1000;

export interface MarkupRuleInput {
  /** null = the default rule for every category without its own */
  categoryId: string | null;
  levelCode: string;
  percentBp: number;
  fixedAmount: number;
}

export class PricingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: PricingConfig,
    private readonly costs: () => CostSource,
    /** the member level codes (identity owns member_levels) */
    private readonly levelCodes: () => Promise<string[]>,
    private readonly cache: CatalogCache,
  ) {}

  /**
   * Recomputes every level's sell price of these variants from their current
   * cost, markup rules and pinned prices, inside the caller's transaction.
   * The Digiflazz sync calls this after it changes costs. The caller
   * invalidates the catalog cache after commit.
   */
  async recomputeForVariants(manager: EntityManager, variantIds: readonly string[]): Promise<number> {
    if (variantIds.length === 0) return 0;
    const [levels, rules] = await Promise.all([this.levelCodes(), manager.find(MarkupRule)]);
    const ruleOf = new Map(rules.map((rule) => [`${rule.categoryId}|${rule.levelCode}`, rule]));
    let written = 0;
    for (let start = 0; start < variantIds.length; start += CHUNK) {
      const ids = variantIds.slice(start, start + CHUNK);
      const basis = await this.costs().costBasis(manager, ids);
      const pins: { variant_id: string; level_code: string; pinned_price: string }[] = await manager.query(
        "SELECT variant_id, level_code, pinned_price FROM variant_prices WHERE variant_id IN (?) AND pinned_price IS NOT NULL",
        [ids],
      );
      const pinned = new Map(pins.map((row) => [`${row.variant_id}|${row.level_code}`, Number(row.pinned_price)]));
      const rows: unknown[][] = [];
      for (const variant of basis) {
        for (const level of levels) {
          const rule = ruleOf.get(`${variant.categoryId}|${level}`) ?? ruleOf.get(`${DEFAULT_CATEGORY}|${level}`) ?? { percentBp: 0, fixedAmount: 0 };
          const pin = pinned.get(`${variant.variantId}|${level}`) ?? null;
          const price = effectivePrice(variant.cost, pin, markupPrice(variant.cost, rule, this.config.roundingStep));
          rows.push([bulkId(), variant.variantId, level, price, pin]);
        }
      }
      await bulkUpsert(manager, "variant_prices", ["id", "variant_id", "level_code", "price", "pinned_price"], rows, ["price", "pinned_price"]);
      written += rows.length;
    }
    return written;
  }

  /** Sell prices of these variants for one level (one statement); missing = not priced. */
  async pricesFor(levelCode: string, variantIds: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, number>> {
    if (variantIds.length === 0) return new Map();
    const rows = await manager.find(VariantPrice, { where: { levelCode, variantId: In([...variantIds]) }, select: { variantId: true, price: true } });
    return new Map(rows.map((row) => [row.variantId, row.price]));
  }

  /**
   * For another module's query that prices its variants in the same statement
   * (the checkout's quote): a LEFT JOIN taking the level code as its one `?`
   * parameter, and the price column (NULL = not priced for that level).
   */
  priceJoin(variantIdColumn: string): { join: string; price: string } {
    return { join: `LEFT JOIN variant_prices vp ON vp.variant_id = ${variantIdColumn} AND vp.level_code = ?`, price: "vp.price" };
  }

  /** Cached version of pricesFor for public reads (DataLoader batches land here). */
  async cachedPricesFor(levelCode: string, variantIds: readonly string[]): Promise<(number | null)[]> {
    return this.cache.loadMany(`price:${levelCode}`, variantIds, (missing) => this.pricesFor(levelCode, missing));
  }

  async variantPrices(variantId: string): Promise<VariantPrice[]> {
    return this.dataSource.getRepository(VariantPrice).find({ where: { variantId }, order: { levelCode: "ASC" } });
  }

  async markupRules(): Promise<MarkupRule[]> {
    return this.dataSource.getRepository(MarkupRule).find({ order: { categoryId: "ASC", levelCode: "ASC" } });
  }

  /** Pins (or with null, unpins) one level's price of a variant. A pin below cost is refused. */
  async setPinnedPrice(actor: Actor, variantId: string, levelCode: string, price: number | null): Promise<VariantPrice> {
    await this.assertLevel(levelCode);
    if (price !== null && (!Number.isSafeInteger(price) || price <= 0)) throw badInput("Price must be a positive whole number of rupiah", { field: "price" });
    const row = await this.dataSource.transaction(async (manager) => {
      const [basis] = await this.costs().costBasis(manager, [variantId]);
      if (!basis) throw notFound("Variant");
      if (price !== null && price < basis.cost) {
        throw badInput(`Price ${price} is below the cost ${basis.cost}`, { field: "price" });
      }
      const before = await manager.findOne(VariantPrice, { where: { variantId, levelCode } });
      if (before) await manager.update(VariantPrice, { id: before.id }, { pinnedPrice: price });
      else await manager.insert(VariantPrice, { id: newId(), variantId, levelCode, price: price ?? basis.cost, pinnedPrice: price });
      await this.recomputeForVariants(manager, [variantId]);
      const after = await manager.findOneOrFail(VariantPrice, { where: { variantId, levelCode } });
      await this.audit.record(manager, {
        actorId: actor.userId,
        ip: actor.ip,
        action: price === null ? "pricing.unpin" : "pricing.pin",
        targetType: "variant_price",
        targetId: after.id,
        before: before ? { price: before.price, pinnedPrice: before.pinnedPrice } : null,
        after: { variantId, levelCode, price: after.price, pinnedPrice: after.pinnedPrice },
      });
      return after;
    });
    await this.cache.invalidate();
    return row;
  }

  /** Creates or replaces the rule for (category, level) and reprices that category. */
  async upsertMarkupRule(actor: Actor, input: MarkupRuleInput): Promise<MarkupRule> {
    await this.assertLevel(input.levelCode);
    if (!Number.isSafeInteger(input.percentBp) || input.percentBp < -10_000 || input.percentBp > 1_000_000) {
      throw badInput("percentBp must be a whole number of basis points between -10000 and 1000000", { field: "percentBp" });
    }
    if (!Number.isSafeInteger(input.fixedAmount) || Math.abs(input.fixedAmount) > 1_000_000_000) {
      throw badInput("fixedAmount must be a whole number of rupiah", { field: "fixedAmount" });
    }
    const categoryId = input.categoryId ?? DEFAULT_CATEGORY;
    const rule = await this.dataSource.transaction(async (manager) => {
      if (input.categoryId !== null && !(await this.costs().categoryExists(manager, input.categoryId))) {
        throw badInput("Unknown category", { field: "categoryId" });
      }
      const affected = await this.costs().variantIdsInCategory(manager, input.categoryId);
      const before = await manager.findOne(MarkupRule, { where: { categoryId, levelCode: input.levelCode } });
      const values = { percentBp: input.percentBp, fixedAmount: input.fixedAmount };
      if (before) await manager.update(MarkupRule, { id: before.id }, values);
      else await manager.insert(MarkupRule, { id: newId(), categoryId, levelCode: input.levelCode, ...values });
      const after = await manager.findOneOrFail(MarkupRule, { where: { categoryId, levelCode: input.levelCode } });
      await this.recomputeForVariants(manager, affected);
      await this.audit.record(manager, {
        actorId: actor.userId,
        ip: actor.ip,
        action: before ? "pricing.rule.update" : "pricing.rule.create",
        targetType: "markup_rule",
        targetId: after.id,
        before: before ? { percentBp: before.percentBp, fixedAmount: before.fixedAmount } : null,
        after: { categoryId, levelCode: input.levelCode, ...values },
      });
      return after;
    });
    await this.cache.invalidate();
    return rule;
  }

  async deleteMarkupRule(actor: Actor, id: string): Promise<boolean> {
    await this.dataSource.transaction(async (manager) => {
      const rule = await manager.findOne(MarkupRule, { where: { id } });
      if (!rule) throw notFound("Markup rule");
      await manager.delete(MarkupRule, { id });
      const affected = await this.costs().variantIdsInCategory(manager, rule.categoryId === DEFAULT_CATEGORY ? null : rule.categoryId);
      await this.recomputeForVariants(manager, affected);
      await this.audit.record(manager, {
        actorId: actor.userId,
        ip: actor.ip,
        action: "pricing.rule.delete",
        targetType: "markup_rule",
        targetId: id,
        before: { categoryId: rule.categoryId, levelCode: rule.levelCode, percentBp: rule.percentBp, fixedAmount: rule.fixedAmount },
      });
    });
    await this.cache.invalidate();
    return true;
  }

  /** Removes a variant's prices (catalog calls it when it deletes variants). */
  async deleteForVariants(manager: EntityManager, variantIds: readonly string[]): Promise<void> {
    if (variantIds.length > 0) await manager.delete(VariantPrice, { variantId: In([...variantIds]) });
  }

  private async assertLevel(levelCode: string): Promise<void> {
    if (!(await this.levelCodes()).includes(levelCode)) throw badInput(`Unknown member level "${levelCode}"`, { field: "levelCode" });
  }
}
