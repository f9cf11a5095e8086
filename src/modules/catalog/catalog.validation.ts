import { badInput } from "../../core/errors";
import { CategoryType, FulfilmentKind, InputFieldType } from "./catalog.enums";
import { validateSchemaDefinition, type InputField } from "./input-schema";

// Checks shared by the admin mutations and the bulk import, so both refuse the same things.

export interface CategoryFields {
  name: string;
  slug: string;
  type: CategoryType;
  imageUrl?: string | null;
  sort?: number;
  active?: boolean;
}

export interface ProductFields {
  name: string;
  slug: string;
  categoryId: string;
  imageUrl?: string | null;
  description?: string | null;
  sort?: number;
  active?: boolean;
  inputSchema?: InputField[];
  customerNoTemplate?: string | null;
}

export interface VariantFields {
  productId: string;
  name: string;
  sku: string;
  kind: FulfilmentKind;
  supplier?: string | null;
  supplierSku?: string | null;
  costPrice: number;
  stock?: number | null;
  active?: boolean;
  sort?: number;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SKU = /^[A-Za-z0-9._-]{1,64}$/;

export function checkName(value: string, field = "name", max = 160): string {
  const name = value.trim();
  if (name.length === 0 || name.length > max) throw badInput(`${field} must be 1 to ${max} characters`, { field });
  return name;
}

export function checkSlug(value: string, field = "slug"): string {
  const slug = value.trim();
  if (!SLUG.test(slug) || slug.length > 120) throw badInput(`${field} must be lower-case letters, digits and dashes`, { field });
  return slug;
}

export function checkSku(value: string, field = "sku"): string {
  const sku = value.trim();
  if (!SKU.test(sku)) throw badInput(`${field} must be 1 to 64 letters, digits, dot, dash or underscore`, { field });
  return sku;
}

export function checkSort(value: number | undefined): number {
  if (value === undefined) return 0;
  if (!Number.isSafeInteger(value) || Math.abs(value) > 1_000_000) throw badInput("sort must be a whole number", { field: "sort" });
  return value;
}

function checkUrl(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const url = value.trim();
  if (url.length > 500 || !/^(https?:\/\/|\/)\S+$/.test(url)) throw badInput(`${field} must be an http(s) URL or a path`, { field });
  return url;
}

export function checkEnum<T extends string>(values: Record<string, T>, value: string, field: string): T {
  if (!(Object.values(values) as string[]).includes(value)) throw badInput(`${field} must be one of ${Object.values(values).join(", ")}`, { field });
  return value as T;
}

export function checkCategory(input: CategoryFields) {
  return {
    name: checkName(input.name, "name", 120),
    slug: checkSlug(input.slug),
    type: checkEnum(CategoryType, input.type, "type"),
    imageUrl: checkUrl(input.imageUrl, "imageUrl"),
    sort: checkSort(input.sort),
    active: input.active ?? true,
  };
}

export function checkProduct(input: ProductFields) {
  const inputSchema = (input.inputSchema ?? []).map((field) => ({
    key: field.key.trim(),
    label: field.label.trim(),
    type: checkEnum(InputFieldType, field.type, "inputSchema.type"),
    required: field.required,
    pattern: field.pattern || null,
    options: field.options && field.options.length > 0 ? field.options : null,
    placeholder: field.placeholder || null,
  }));
  const customerNoTemplate = input.customerNoTemplate?.trim() || null;
  validateSchemaDefinition(inputSchema, customerNoTemplate);
  if (input.description && input.description.length > 20_000) throw badInput("description is too long", { field: "description" });
  return {
    name: checkName(input.name),
    slug: checkSlug(input.slug),
    categoryId: input.categoryId,
    imageUrl: checkUrl(input.imageUrl, "imageUrl"),
    description: input.description?.trim() || null,
    sort: checkSort(input.sort),
    active: input.active ?? true,
    inputSchema,
    customerNoTemplate,
  };
}

export function checkVariant(input: VariantFields) {
  const kind = checkEnum(FulfilmentKind, input.kind, "kind");
  const supplier = input.supplier?.trim().toLowerCase() || null;
  const supplierSku = input.supplierSku?.trim() || null;
  if (kind === FulfilmentKind.SUPPLIER && (!supplier || !supplierSku)) {
    throw badInput("A SUPPLIER variant needs supplier and supplierSku", { field: "supplierSku" });
  }
  if ((supplier === null) !== (supplierSku === null)) throw badInput("supplier and supplierSku go together", { field: "supplier" });
  if (supplierSku !== null) checkSku(supplierSku, "supplierSku");
  if (!Number.isSafeInteger(input.costPrice) || input.costPrice < 0) throw badInput("costPrice must be a whole number of rupiah, 0 or more", { field: "costPrice" });
  const stock = input.stock ?? null;
  if (stock !== null && (!Number.isSafeInteger(stock) || stock < 0)) throw badInput("stock must be a whole number, 0 or more", { field: "stock" });
  return {
    productId: input.productId,
    name: checkName(input.name),
    sku: checkSku(input.sku),
    kind,
    supplier,
    supplierSku,
    costPrice: input.costPrice,
    stock,
    active: input.active ?? true,
    sort: checkSort(input.sort),
  };
}
