import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { In, type DataSource, type EntityManager } from "typeorm";
import type { Actor } from "../../core/actor";
import { bulkId, bulkUpsert } from "../../core/bulk";
import { AppError, badInput } from "../../core/errors";
import type { AuditService } from "../audit/audit.service";
import type { PricingService } from "../pricing/pricing.service";
import { FileFormat, FulfilmentKind, ImportMode } from "./catalog.enums";
import type { CatalogService } from "./catalog.service";
import { checkName, checkSlug, checkVariant } from "./catalog.validation";
import { Category } from "./category.entity";
import { Product } from "./product.entity";
import { Variant } from "./variant.entity";

/** The columns of an import/export file, in order. */
export const COLUMNS = [
  "category_slug", "product_slug", "product_name", "variant_sku", "variant_name", "kind",
  "supplier", "supplier_sku", "cost_price", "stock", "active", "sort",
] as const;
type Column = (typeof COLUMNS)[number];
const REQUIRED: Column[] = ["category_slug", "product_slug", "product_name", "variant_sku", "variant_name", "kind", "cost_price"];
const MAX_ROWS = 50_000;
const BATCH = 1000; // rows per lookup

export interface ImportRequest {
  format: FileFormat;
  contentBase64: string;
  mode: ImportMode;
}

export interface ImportRowErrorView {
  row: number;
  column: string | null;
  message: string;
}

export interface ImportReportView {
  mode: ImportMode;
  totalRows: number;
  importedRows: number;
  productsCreated: number;
  variantsCreated: number;
  variantsUpdated: number;
  errors: ImportRowErrorView[];
}

interface GoodRow {
  row: number;
  categoryId: string;
  productSlug: string;
  productName: string;
  variant: ReturnType<typeof checkVariant>;
  /** set when the SKU is already stored: the row updates that variant */
  existingVariantId?: string;
}

/** Bulk import/export of products and variants (CSV and XLSX through exceljs). */
export class CatalogImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly catalog: CatalogService,
    private readonly pricing: PricingService,
  ) {}

  async importCatalog(actor: Actor, request: ImportRequest): Promise<ImportReportView> {
    const rows = await readRows(request.format, request.contentBase64);
    const errors: ImportRowErrorView[] = [];
    const good = await this.validateRows(rows, errors);
    const report: ImportReportView = {
      mode: request.mode,
      totalRows: rows.length,
      importedRows: 0,
      productsCreated: 0,
      variantsCreated: 0,
      variantsUpdated: 0,
      errors: errors.sort((a, b) => a.row - b.row),
    };
    if (good.length === 0 || (request.mode === ImportMode.ALL_OR_NOTHING && errors.length > 0)) return report;
    await this.catalog.change((manager) => this.write(manager, actor, good, report));
    return report;
  }

  async exportCatalog(format: FileFormat): Promise<{ format: FileFormat; filename: string; contentBase64: string; rows: number }> {
    const rows: Record<string, unknown>[] = await this.dataSource
      .createQueryBuilder(Variant, "v")
      .innerJoin(Product, "p", "p.id = v.product_id")
      .innerJoin(Category, "c", "c.id = p.category_id")
      .select([
        "c.slug AS category_slug", "p.slug AS product_slug", "p.name AS product_name", "v.sku AS variant_sku",
        "v.name AS variant_name", "v.kind AS kind", "v.supplier AS supplier", "v.supplier_sku AS supplier_sku",
        "v.cost_price AS cost_price", "v.stock AS stock", "v.active AS active", "v.sort AS sort",
      ])
      .orderBy("c.sort").addOrderBy("p.sort").addOrderBy("p.slug").addOrderBy("v.sort").addOrderBy("v.sku")
      .getRawMany();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("catalog");
    sheet.addRow([...COLUMNS]);
    for (const row of rows) {
      sheet.addRow(COLUMNS.map((column) => {
        const value = row[column];
        if (column === "active") return Number(value) === 1 ? "true" : "false";
        if (column === "cost_price" || column === "stock" || column === "sort") return value === null ? null : Number(value);
        return value ?? null;
      }));
    }
    const buffer = format === FileFormat.XLSX ? await workbook.xlsx.writeBuffer() : await workbook.csv.writeBuffer();
    const stamp = new Date().toISOString().slice(0, 10);
    return {
      format,
      filename: `catalog-${stamp}.${format === FileFormat.XLSX ? "xlsx" : "csv"}`,
      contentBase64: Buffer.from(buffer as ArrayBuffer).toString("base64"),
      rows: rows.length,
    };
  }

  /** Checks every row, in memory plus a few batched lookups; fills `errors`, returns the good rows. */
  private async validateRows(rows: Record<Column, string>[], errors: ImportRowErrorView[]): Promise<GoodRow[]> {
    const categories = new Map((await this.dataSource.getRepository(Category).find()).map((c) => [c.slug, c.id]));
    const checked: GoodRow[] = [];
    const seenSku = new Map<string, number>();
    const seenSupplierSku = new Map<string, number>();
    rows.forEach((cells, index) => {
      const row = index + 2; // header is row 1
      const fail = (column: Column | null, message: string) => void errors.push({ row, column, message });
      const missing = REQUIRED.find((column) => cells[column] === "");
      if (missing) return fail(missing, `${missing} is required`);
      const categoryId = categories.get(cells.category_slug);
      if (!categoryId) return fail("category_slug", `Unknown category "${cells.category_slug}"`);
      const cost = parseWhole(cells.cost_price);
      if (cost === null) return fail("cost_price", "cost_price must be a whole number of rupiah");
      const stock = cells.stock === "" ? null : parseWhole(cells.stock);
      if (stock === undefined || (cells.stock !== "" && stock === null)) return fail("stock", "stock must be a whole number");
      const active = parseBool(cells.active);
      if (active === null) return fail("active", "active must be true or false");
      const sort = cells.sort === "" ? 0 : parseWhole(cells.sort);
      if (sort === null) return fail("sort", "sort must be a whole number");
      try {
        const productSlug = checkSlug(cells.product_slug, "product_slug");
        const productName = checkName(cells.product_name, "product_name");
        const kind = cells.kind.toUpperCase() as FulfilmentKind;
        const variant = checkVariant({
          productId: "", name: cells.variant_name, sku: cells.variant_sku, kind, supplier: cells.supplier, supplierSku: cells.supplier_sku,
          costPrice: cost, stock, active, sort,
        });
        const duplicate = seenSku.get(variant.sku);
        if (duplicate) return fail("variant_sku", `SKU ${variant.sku} is also on row ${duplicate}`);
        seenSku.set(variant.sku, row);
        if (variant.supplierSku) {
          const key = `${variant.supplier}|${variant.supplierSku}`;
          const other = seenSupplierSku.get(key);
          if (other) return fail("supplier_sku", `supplier_sku ${variant.supplierSku} is also on row ${other}`);
          seenSupplierSku.set(key, row);
        }
        checked.push({ row, categoryId, productSlug, productName, variant });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const field = String(error.extensions.field ?? "");
        fail(columnOf(field), error.message);
      }
    });
    return this.checkAgainstDatabase(checked, errors);
  }

  /** Rows that clash with what is stored: a product in another category, a supplier SKU held by another variant. */
  private async checkAgainstDatabase(rows: GoodRow[], errors: ImportRowErrorView[]): Promise<GoodRow[]> {
    const products = await this.inBatches(rows.map((r) => r.productSlug), (slugs) =>
      this.dataSource.getRepository(Product).find({ where: { slug: In(slugs) }, select: { id: true, slug: true, categoryId: true } }),
    );
    const productBySlug = new Map(products.map((p) => [p.slug, p]));
    const variants = await this.inBatches(rows.map((r) => r.variant.sku), (skus) =>
      this.dataSource.getRepository(Variant).find({ where: { sku: In(skus) }, select: { id: true, sku: true } }),
    );
    const variantBySku = new Map(variants.map((v) => [v.sku, v.id]));
    const supplierSkus = rows.filter((r) => r.variant.supplierSku).map((r) => r.variant.supplierSku!);
    const holders = await this.inBatches(supplierSkus, (skus) =>
      this.dataSource.getRepository(Variant).find({ where: { supplierSku: In(skus) }, select: { id: true, sku: true, supplier: true, supplierSku: true } }),
    );
    const holderOf = new Map(holders.map((v) => [`${v.supplier}|${v.supplierSku}`, v.sku]));
    const productCategory = new Map<string, string>();
    return rows.filter((row) => {
      const fail = (column: Column, message: string) => (errors.push({ row: row.row, column, message }), false);
      const stored = productBySlug.get(row.productSlug);
      const category = stored?.categoryId ?? productCategory.get(row.productSlug);
      if (category && category !== row.categoryId) return fail("category_slug", `Product ${row.productSlug} belongs to another category`);
      productCategory.set(row.productSlug, row.categoryId);
      const holder = row.variant.supplierSku ? holderOf.get(`${row.variant.supplier}|${row.variant.supplierSku}`) : undefined;
      if (holder && holder !== row.variant.sku) return fail("supplier_sku", `supplier_sku ${row.variant.supplierSku} belongs to variant ${holder}`);
      return true;
    }).map((row) => ({
      ...row,
      variant: { ...row.variant, productId: productBySlug.get(row.productSlug)?.id ?? "" },
      existingVariantId: variantBySku.get(row.variant.sku),
    }));
  }

  private async write(manager: EntityManager, actor: Actor, rows: GoodRow[], report: ImportReportView): Promise<void> {
    // products first: create the missing ones (batched), then point each row at its product id
    const productIds = new Map<string, string>();
    const newProducts: Partial<Product>[] = [];
    for (const row of rows) {
      if (row.variant.productId) productIds.set(row.productSlug, row.variant.productId);
      else if (!productIds.has(row.productSlug)) {
        const id = bulkId();
        productIds.set(row.productSlug, id);
        newProducts.push({ id, name: row.productName, slug: row.productSlug, categoryId: row.categoryId, imageUrl: null, description: null, sort: 0, active: true, inputSchema: [], customerNoTemplate: null });
      }
    }
    await bulkUpsert(
      manager,
      "products",
      ["id", "name", "slug", "category_id", "sort", "active", "input_schema"],
      newProducts.map((p) => [p.id, p.name, p.slug, p.categoryId, 0, 1, "[]"]),
      ["name"],
    );
    const values = rows.map((row) => ({
      ...row.variant,
      id: row.existingVariantId ?? bulkId(),
      productId: productIds.get(row.productSlug)!,
    }));
    await bulkUpsert(
      manager,
      "product_variants",
      ["id", "product_id", "name", "sku", "kind", "supplier", "supplier_sku", "cost_price", "stock", "active", "sort"],
      values.map((v) => [v.id, v.productId, v.name, v.sku, v.kind, v.supplier, v.supplierSku, v.costPrice, v.stock, v.active ? 1 : 0, v.sort]),
      ["product_id", "name", "kind", "supplier", "supplier_sku", "cost_price", "stock", "active", "sort"],
    );
    await this.pricing.recomputeForVariants(manager, values.map((v) => v.id));
    const created = rows.filter((row) => !row.existingVariantId).length;
    Object.assign(report, {
      importedRows: rows.length,
      productsCreated: newProducts.length,
      variantsCreated: created,
      variantsUpdated: rows.length - created,
    });
    await this.audit.record(manager, {
      actorId: actor.userId,
      ip: actor.ip,
      action: "catalog.import",
      targetType: "catalog",
      targetId: null,
      after: { mode: report.mode, totalRows: report.totalRows, importedRows: rows.length, productsCreated: newProducts.length, variantsCreated: created, variantsUpdated: rows.length - created, badRows: report.errors.length },
    });
  }

  private async inBatches<T>(keys: string[], load: (batch: string[]) => Promise<T[]>): Promise<T[]> {
    const unique = [...new Set(keys)];
    const out: T[] = [];
    for (let start = 0; start < unique.length; start += BATCH) out.push(...(await load(unique.slice(start, start + BATCH))));
    return out;
  }
}

/** Reads the first sheet (XLSX) or the CSV into rows keyed by column name. Bad files are BAD_USER_INPUT. */
async function readRows(format: FileFormat, contentBase64: string): Promise<Record<Column, string>[]> {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(contentBase64)) throw badInput("contentBase64 is not base64", { field: "contentBase64" });
  const buffer = Buffer.from(contentBase64, "base64");
  if (buffer.length === 0) throw badInput("The file is empty", { field: "contentBase64" });
  const workbook = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet | undefined;
  try {
    if (format === FileFormat.XLSX) {
      await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
      sheet = workbook.worksheets[0];
    } else {
      sheet = await workbook.csv.read(Readable.from(buffer), { map: (value: unknown) => value } as never);
    }
  } catch {
    throw badInput(`The file is not a readable ${format} file`, { field: "contentBase64" });
  }
  if (!sheet) throw badInput("The file has no sheet", { field: "contentBase64" });
  const header = ((sheet.getRow(1).values as unknown[]) ?? []).slice(1).map((cell) => cellText(cell).toLowerCase());
  const missing = REQUIRED.filter((column) => !header.includes(column));
  if (missing.length > 0) throw badInput(`The header row lacks: ${missing.join(", ")}`, { field: "contentBase64" });
  if (sheet.rowCount - 1 > MAX_ROWS) throw badInput(`At most ${MAX_ROWS} rows per file`, { field: "contentBase64" });
  const position = new Map(header.map((name, index) => [name, index + 1]));
  const rows: Record<Column, string>[] = [];
  for (let number = 2; number <= sheet.rowCount; number += 1) {
    const row = sheet.getRow(number);
    const cells = Object.fromEntries(COLUMNS.map((column) => {
      const at = position.get(column);
      return [column, at ? cellText(row.getCell(at).value) : ""];
    })) as Record<Column, string>;
    if (Object.values(cells).every((value) => value === "")) continue; // blank line
    rows.push(cells);
  }
  return rows;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") {
    const v = value as { richText?: { text: string }[]; text?: string; result?: unknown };
    if (v.richText) return v.richText.map((part) => part.text).join("").trim();
    if (v.text !== undefined) return String(v.text).trim();
    if (v.result !== undefined) return cellText(v.result);
  }
  return String(value).trim();
}

function parseWhole(raw: string): number | null {
  if (!/^-?[0-9]+$/.test(raw)) return null;
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function parseBool(raw: string): boolean | null {
  if (raw === "") return true;
  if (["true", "1", "yes", "ya"].includes(raw.toLowerCase())) return true;
  if (["false", "0", "no", "tidak"].includes(raw.toLowerCase())) return false;
  return null;
}

function columnOf(field: string): Column | null {
  const map: Record<string, Column> = { name: "variant_name", sku: "variant_sku", supplierSku: "supplier_sku", supplier: "supplier", kind: "kind", costPrice: "cost_price", stock: "stock", sort: "sort", product_slug: "product_slug", product_name: "product_name" };
  return map[field] ?? null;
}
