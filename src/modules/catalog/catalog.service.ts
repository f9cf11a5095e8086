import { Brackets, In, type DataSource, type EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import { badInput, conflict, notFound } from "../../core/errors";
import { toMoney } from "../../core/money";
import { auditFields, type AuditService } from "../audit/audit.service";
import type { Actor } from "../../core/actor";
import type { CostBasis, CostSource, PricingService } from "../pricing/pricing.service";
import type { CatalogCache } from "./catalog-cache";
import { CategoryType, FulfilmentKind, ProductSort } from "./catalog.enums";
import {
  checkCategory, checkProduct, checkVariant,
  type CategoryFields, type ProductFields, type VariantFields,
} from "./catalog.validation";
import { categoryView, productView, variantView, type CategoryView, type ProductView, type VariantView } from "./catalog.views";
import { Category } from "./category.entity";
import { buildCustomerNo, validateInputs, type InputField } from "./input-schema";
import { Product } from "./product.entity";
import { Variant } from "./variant.entity";

export interface ProductFilter {
  categoryId?: string | null;
  categorySlug?: string | null;
  type?: CategoryType | null;
  kind?: FulfilmentKind | null;
  search?: string | null;
}

export interface ProductPageRequest {
  filter: ProductFilter;
  first: number;
  after?: string | null;
  sort: ProductSort;
}

export interface ProductPage {
  items: ProductView[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface QuoteRequest {
  variantId: string;
  quantity: number;
  /** buyer inputs by key, as the product's input schema names them */
  inputs: Record<string, string>;
  /** the buyer's member level (guests: RETAIL) */
  levelCode: string;
}

/** What checkout needs to create an order line; prices come from the server only. */
export interface Quote {
  variant: VariantView;
  product: ProductView;
  kind: FulfilmentKind;
  supplier: string | null;
  supplierSku: string | null;
  costPrice: number;
  unitPrice: number;
  quantity: number;
  totalPrice: number;
  /** normalised inputs (trimmed, phone numbers in 08… form) */
  inputs: Record<string, string>;
  /** what the supplier gets as customer_no (null when the product asks for nothing) */
  customerNo: string | null;
}

interface SellableRow {
  id: string;
  product_id: string;
  name: string;
  sku: string;
  kind: FulfilmentKind;
  supplier: string | null;
  supplier_sku: string | null;
  cost_price: string;
  stock: number | null;
  sort: number;
  price_review: number;
  previous_cost_price: string | null;
  product_name: string;
  product_slug: string;
  category_id: string;
  image_url: string | null;
  description: string | null;
  product_sort: number;
  /** a string from MariaDB (JSON is LONGTEXT there), parsed already by MySQL */
  input_schema: string | InputField[] | null;
  customer_no_template: string | null;
  price: string | null;
}

/** JSON columns come back as text from MariaDB and parsed from MySQL. */
const parseJson = <T>(value: string | T | null): T | null => (typeof value === "string" ? (JSON.parse(value) as T) : value);

export const MAX_QUANTITY = 100;
export const MAX_PAGE = 100;

/** Categories, products and variants: public reads (cached) and audited admin changes. */
export class CatalogService implements CostSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly pricing: PricingService,
    private readonly cache: CatalogCache,
  ) {}

  // ---- public reads (cached; the cache version is bumped by every change) ----

  async listCategories(): Promise<CategoryView[]> {
    return (await this.allCategories()).filter((category) => category.active);
  }

  /** Every category, inactive ones too (a product links to its category), in display order: a small table, read whole. */
  allCategories(): Promise<CategoryView[]> {
    return this.cache.getOrLoad("all-categories", [], async () =>
      (await this.dataSource.getRepository(Category).find({ order: { sort: "ASC", name: "ASC" } })).map(categoryView),
    );
  }

  /** `categories`: allCategories() by id, which the request has already read for Product.category. */
  listProducts(request: ProductPageRequest, categories: ReadonlyMap<string, CategoryView>): Promise<ProductPage> {
    if (!Number.isSafeInteger(request.first) || request.first < 1 || request.first > MAX_PAGE) {
      throw badInput(`first must be between 1 and ${MAX_PAGE}`, { field: "first" });
    }
    const cursor = request.after ? decodeCursor(request.after) : null;
    return this.cache.getOrLoad("products", request, () => this.queryProducts(request, cursor, [...categories.values()]));
  }

  productBySlug(slug: string): Promise<ProductView | null> {
    return this.cache.getOrLoad("product-slug", slug, async () => {
      const product = await this.dataSource
        .getRepository(Product)
        .createQueryBuilder("p")
        .innerJoin(Category, "c", "c.id = p.category_id AND c.active = 1")
        .where("p.slug = :slug AND p.active = 1", { slug })
        .getOne();
      return product ? productView(product) : null;
    });
  }

  /** DataLoader batch: sellable variants of each product, in display order. */
  async variantsByProducts(productIds: readonly string[]): Promise<VariantView[][]> {
    const lists = await this.cache.loadMany("variants", productIds, async (missing) => {
      const rows = await this.dataSource.getRepository(Variant).find({
        where: { productId: In(missing), active: true, supplierActive: true },
        order: { sort: "ASC", id: "ASC" },
      });
      const byProduct = new Map<string, VariantView[]>(missing.map((id) => [id, []]));
      for (const row of rows) byProduct.get(row.productId)!.push(variantView(row));
      return byProduct;
    });
    return lists.map((list) => list ?? []);
  }

  private async queryProducts(request: ProductPageRequest, cursor: CursorValue | null, categories: CategoryView[]): Promise<ProductPage> {
    const { filter, first, sort } = request;
    const query = this.dataSource.getRepository(Product).createQueryBuilder("p").where("p.active = 1");
    // Category conditions become id lists: joining `categories` made MariaDB use a join
    // buffer, which drops the index order and sorts every product for one page.
    if (filter.categorySlug || filter.type) {
      const ids = categories
        .filter((c) => c.active && (!filter.categorySlug || c.slug === filter.categorySlug) && (!filter.type || c.type === filter.type))
        .map((c) => c.id);
      if (ids.length === 0) return { items: [], hasNextPage: false, endCursor: null };
      query.andWhere("p.category_id IN (:...ids)", { ids });
    } else {
      const inactive = categories.filter((c) => !c.active).map((c) => c.id);
      if (inactive.length > 0) query.andWhere("p.category_id NOT IN (:...inactive)", { inactive });
    }
    if (filter.categoryId) query.andWhere("p.category_id = :categoryId", { categoryId: filter.categoryId });
    if (filter.search?.trim()) {
      query.andWhere("p.name LIKE :search", { search: `%${filter.search.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%` });
    }
    if (filter.kind) {
      query.andWhere(
        "EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.kind = :kind AND v.active = 1 AND v.supplier_active = 1)",
        { kind: filter.kind },
      );
    }
    const [column, direction] = SORT_COLUMNS[sort];
    if (cursor) {
      if (column === null) query.andWhere("p.id < :cursorId", { cursorId: cursor.id });
      else {
        query.andWhere(
          new Brackets((where) =>
            where.where(`${column} > :cursorValue`, { cursorValue: cursor.value }).orWhere(`(${column} = :cursorValue AND p.id > :cursorId)`, { cursorId: cursor.id }),
          ),
        );
      }
    }
    if (column) query.orderBy(column, "ASC").addOrderBy("p.id", "ASC");
    else query.orderBy("p.id", direction);
    const rows = await query.limit(first + 1).getMany();
    const items = rows.slice(0, first).map(productView);
    const last = items[items.length - 1];
    return {
      items,
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor({ value: sort === ProductSort.NAME ? last.name : last.sort, id: last.id }) : null,
    };
  }

  // ---- checkout ----

  /**
   * Validates a purchase and prices it for the buyer's level, from the database
   * (not the cache). Pass checkout's transaction manager to read inside it.
   * Throws BAD_USER_INPUT for an unknown or unsellable variant, a bad quantity
   * or inputs that fail the product's input schema.
   */
  async quote(request: QuoteRequest, manager: EntityManager = this.dataSource.manager): Promise<Quote> {
    const { quantity } = request;
    if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      throw badInput(`Quantity must be between 1 and ${MAX_QUANTITY}`, { field: "quantity" });
    }
    const found = typeof request.variantId === "string" ? await this.sellable(manager, request.variantId, request.levelCode) : null;
    if (!found) throw badInput("This item is not available", { field: "variantId" });
    const { variant, product, unitPrice } = found;
    if (variant.stock !== null && variant.stock < quantity) throw badInput("Not enough stock", { field: "quantity" });
    const inputs = validateInputs(product.inputSchema, request.inputs ?? {});
    if (unitPrice === null) throw badInput("This item has no price for your level", { field: "variantId" });
    if (unitPrice < variant.costPrice) throw new Error(`price below cost for variant ${variant.id}`); // invariant, never expected
    return {
      variant,
      product,
      kind: variant.kind,
      supplier: variant.supplier,
      supplierSku: variant.supplierSku,
      costPrice: variant.costPrice,
      unitPrice,
      quantity,
      totalPrice: unitPrice * quantity,
      inputs,
      customerNo: buildCustomerNo(product.customerNoTemplate, product.inputSchema, inputs),
    };
  }

  /** The variant with its product and level price, in one statement; null unless variant, product and category are all on sale. */
  private async sellable(manager: EntityManager, variantId: string, levelCode: string): Promise<{ variant: VariantView; product: ProductView; unitPrice: number | null } | null> {
    const price = this.pricing.priceJoin("v.id");
    const [row]: SellableRow[] = await manager.query(
      `SELECT v.id, v.product_id, v.name, v.sku, v.kind, v.supplier, v.supplier_sku, v.cost_price, v.stock, v.active, v.supplier_active, v.sort,
              v.price_review, v.previous_cost_price, p.name AS product_name, p.slug AS product_slug, p.category_id, p.image_url, p.description,
              p.sort AS product_sort, p.input_schema, p.customer_no_template, ${price.price} AS price
         FROM product_variants v
         JOIN products p ON p.id = v.product_id AND p.active = 1
         JOIN categories c ON c.id = p.category_id AND c.active = 1
         ${price.join}
        WHERE v.id = ? AND v.active = 1 AND v.supplier_active = 1`,
      [levelCode, variantId],
    );
    if (!row) return null;
    const variant: VariantView = {
      id: row.id, productId: row.product_id, name: row.name, sku: row.sku, kind: row.kind, supplier: row.supplier, supplierSku: row.supplier_sku,
      costPrice: toMoney(row.cost_price), stock: row.stock, active: true, supplierActive: true, sort: row.sort,
      priceReview: Boolean(row.price_review), previousCostPrice: row.previous_cost_price === null ? null : toMoney(row.previous_cost_price),
    };
    const product: ProductView = {
      id: row.product_id, name: row.product_name, slug: row.product_slug, categoryId: row.category_id, imageUrl: row.image_url, description: row.description,
      sort: row.product_sort, active: true, inputSchema: parseJson(row.input_schema) ?? [], customerNoTemplate: row.customer_no_template,
    };
    return { variant, product, unitPrice: row.price === null ? null : toMoney(row.price) };
  }

  // ---- what pricing asks (CostSource) ----

  async costBasis(manager: EntityManager, variantIds: readonly string[]): Promise<CostBasis[]> {
    if (variantIds.length === 0) return [];
    const rows: { id: string; category_id: string; cost_price: string }[] = await manager
      .createQueryBuilder(Variant, "v")
      .innerJoin(Product, "p", "p.id = v.product_id")
      .select(["v.id AS id", "p.category_id AS category_id", "v.cost_price AS cost_price"])
      .where("v.id IN (:...ids)", { ids: [...variantIds] })
      .getRawMany();
    return rows.map((row) => ({ variantId: row.id, categoryId: row.category_id, cost: Number(row.cost_price) }));
  }

  async variantIdsInCategory(manager: EntityManager, categoryId: string | null): Promise<string[]> {
    const query = manager.createQueryBuilder(Variant, "v").select("v.id", "id");
    if (categoryId !== null) query.innerJoin(Product, "p", "p.id = v.product_id").where("p.category_id = :categoryId", { categoryId });
    return (await query.getRawMany<{ id: string }>()).map((row) => row.id);
  }

  async categoryExists(manager: EntityManager, categoryId: string): Promise<boolean> {
    return (await manager.count(Category, { where: { id: categoryId } })) > 0;
  }

  // ---- admin reads ----

  async variantsForReview(): Promise<VariantView[]> {
    return (await this.dataSource.getRepository(Variant).find({ where: { priceReview: true }, order: { updatedAt: "DESC" } })).map(variantView);
  }

  async variantById(id: string): Promise<VariantView | null> {
    const row = await this.dataSource.getRepository(Variant).findOne({ where: { id } });
    return row ? variantView(row) : null;
  }

  // ---- admin changes (audited in the same transaction, cache invalidated after commit) ----

  async saveCategory(actor: Actor, id: string | null, input: CategoryFields): Promise<CategoryView> {
    const values = checkCategory(input);
    return this.change(async (manager) => {
      await this.assertFree(manager, Category, "slug", values.slug, id, "A category with this slug already exists");
      const saved = await this.upsert(manager, actor, Category, "category", id, values);
      return categoryView(saved);
    });
  }

  async deleteCategory(actor: Actor, id: string): Promise<boolean> {
    return this.change(async (manager) => {
      const row = await manager.findOne(Category, { where: { id } });
      if (!row) throw notFound("Category");
      if ((await manager.count(Product, { where: { categoryId: id } })) > 0) throw conflict("The category still has products");
      await manager.delete(Category, { id });
      await this.audit.record(manager, { actorId: actor.userId, ip: actor.ip, action: "category.delete", targetType: "category", targetId: id, before: { ...categoryView(row) } });
      return true;
    });
  }

  async saveProduct(actor: Actor, id: string | null, input: ProductFields): Promise<ProductView> {
    const values = checkProduct(input);
    return this.change(async (manager) => {
      if (!(await this.categoryExists(manager, values.categoryId))) throw badInput("Unknown category", { field: "categoryId" });
      await this.assertFree(manager, Product, "slug", values.slug, id, "A product with this slug already exists");
      const before = id ? await manager.findOne(Product, { where: { id } }) : null;
      const saved = await this.upsert(manager, actor, Product, "product", id, values);
      if (before && before.categoryId !== saved.categoryId) {
        // markup rules are per category: a move reprices the product's variants
        await this.pricing.recomputeForVariants(manager, (await manager.find(Variant, { where: { productId: saved.id }, select: { id: true } })).map((v) => v.id));
      }
      return productView(saved);
    });
  }

  async deleteProduct(actor: Actor, id: string): Promise<boolean> {
    return this.change(async (manager) => {
      const row = await manager.findOne(Product, { where: { id } });
      if (!row) throw notFound("Product");
      if ((await manager.count(Variant, { where: { productId: id } })) > 0) {
        throw conflict("The product still has variants; deactivate it instead");
      }
      await manager.delete(Product, { id });
      await this.audit.record(manager, { actorId: actor.userId, ip: actor.ip, action: "product.delete", targetType: "product", targetId: id, before: { slug: row.slug, name: row.name } });
      return true;
    });
  }

  /** Creates or replaces a variant; a cost change reprices every level in the same transaction. */
  async saveVariant(actor: Actor, id: string | null, input: VariantFields): Promise<VariantView> {
    const values = checkVariant(input);
    return this.change(async (manager) => {
      if ((await manager.count(Product, { where: { id: values.productId } })) === 0) throw badInput("Unknown product", { field: "productId" });
      await this.assertFree(manager, Variant, "sku", values.sku, id, "A variant with this SKU already exists");
      if (values.supplierSku) {
        const clash = await manager.findOne(Variant, { where: { supplier: values.supplier!, supplierSku: values.supplierSku } });
        if (clash && clash.id !== id) throw conflict("Another variant already uses this supplier SKU", { field: "supplierSku" });
      }
      const before = id ? await manager.findOne(Variant, { where: { id } }) : null;
      const saved = await this.upsert(manager, actor, Variant, "variant", id, values);
      if (!before || before.costPrice !== saved.costPrice || before.productId !== saved.productId) {
        await this.pricing.recomputeForVariants(manager, [saved.id]);
      }
      return variantView(saved);
    });
  }

  /** An admin has looked at a flagged cost jump. */
  async clearPriceReview(actor: Actor, id: string): Promise<VariantView> {
    return this.change(async (manager) => {
      const row = await manager.findOne(Variant, { where: { id } });
      if (!row) throw notFound("Variant");
      await manager.update(Variant, { id }, { priceReview: false, previousCostPrice: null });
      await this.audit.record(manager, { actorId: actor.userId, ip: actor.ip, action: "variant.review.clear", targetType: "variant", targetId: id, before: { priceReview: row.priceReview }, after: { priceReview: false } });
      return variantView(await manager.findOneOrFail(Variant, { where: { id } }));
    });
  }

  /** Runs a change in a transaction, then invalidates the public cache once it has committed. */
  async change<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.dataSource.transaction(work);
    } catch (error) {
      // two admins saving the same slug/SKU at once: the unique index decides
      if ((error as { code?: string }).code === "ER_DUP_ENTRY") throw conflict("Another change just took this slug or SKU; reload and try again");
      throw error;
    }
    await this.cache.invalidate();
    return result;
  }

  /**
   * Takes units of a counted variant (PHYSICAL, or any with a stock number)
   * inside the caller's transaction; one conditional UPDATE, so concurrent
   * buyers can never take more than there is. Variants without a count
   * (stock null) are not limited here. Throws CONFLICT when too few are left.
   */
  async takeStock(manager: EntityManager, variantId: string, quantity: number): Promise<void> {
    if (!Number.isSafeInteger(quantity) || quantity < 1) throw badInput("Quantity must be a positive whole number", { field: "quantity" });
    const result = await manager
      .createQueryBuilder()
      .update(Variant)
      .set({ stock: () => "stock - :quantity" })
      .where("id = :variantId AND (stock IS NULL OR stock >= :quantity)", { variantId, quantity })
      .setParameters({ quantity })
      .execute();
    if (!result.affected) throw conflict("Not enough stock left", { field: "quantity" });
  }

  /** Puts units back (a cancelled or refunded order), inside the caller's transaction. */
  async returnStock(manager: EntityManager, variantId: string, quantity: number): Promise<void> {
    if (!Number.isSafeInteger(quantity) || quantity < 1) throw badInput("Quantity must be a positive whole number", { field: "quantity" });
    await manager
      .createQueryBuilder()
      .update(Variant)
      .set({ stock: () => "stock + :quantity" })
      .where("id = :variantId AND stock IS NOT NULL", { variantId })
      .setParameters({ quantity })
      .execute();
  }

  private async assertFree(
    manager: EntityManager,
    entity: typeof Category | typeof Product | typeof Variant,
    column: "slug" | "sku",
    value: string,
    ownId: string | null,
    message: string,
  ): Promise<void> {
    const existing = await manager.findOne(entity, { where: { [column]: value } as never, select: { id: true } as never });
    if (existing && existing.id !== ownId) throw conflict(message, { field: column });
  }

  private async upsert<E extends Category | Product | Variant>(
    manager: EntityManager,
    actor: Actor,
    entity: new () => E,
    name: string,
    id: string | null,
    values: Partial<E>,
  ): Promise<E> {
    const before = id ? await manager.findOne(entity, { where: { id } as never }) : null;
    if (id && !before) throw notFound(name[0].toUpperCase() + name.slice(1));
    const rowId = id ?? newId();
    if (before) await manager.update(entity, { id: rowId } as never, values as never);
    else await manager.insert(entity, { ...values, id: rowId } as never);
    const after = await manager.findOneOrFail(entity, { where: { id: rowId } as never });
    await this.audit.record(manager, {
      actorId: actor.userId,
      ip: actor.ip,
      action: `${name}.${before ? "update" : "create"}`,
      targetType: name,
      targetId: rowId,
      before: before ? auditFields(before) : null,
      after: auditFields(after),
    });
    return after;
  }
}

const SORT_COLUMNS: Record<ProductSort, [string | null, "ASC" | "DESC"]> = {
  [ProductSort.FEATURED]: ["p.sort", "ASC"],
  [ProductSort.NAME]: ["p.name", "ASC"],
  [ProductSort.NEWEST]: [null, "DESC"], // ULIDs grow with time
};

interface CursorValue {
  value: string | number;
  id: string;
}

function encodeCursor(cursor: CursorValue): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString("base64url");
}

function decodeCursor(raw: string): CursorValue {
  try {
    const [value, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as [unknown, unknown];
    if ((typeof value === "string" || typeof value === "number") && typeof id === "string" && /^[0-9A-Z]{26}$/.test(id)) return { value, id };
  } catch {
    // fall through
  }
  throw badInput("Invalid cursor", { field: "after" });
}

