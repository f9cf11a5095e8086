import type { CategoryType, FulfilmentKind } from "./catalog.enums";
import type { Category } from "./category.entity";
import type { InputField } from "./input-schema";
import type { Product } from "./product.entity";
import type { Variant } from "./variant.entity";

// Plain, JSON-safe shapes of catalog rows: what the cache stores and the resolvers return.

export interface CategoryView {
  id: string;
  name: string;
  slug: string;
  type: CategoryType;
  imageUrl: string | null;
  sort: number;
  active: boolean;
}

export interface ProductView {
  id: string;
  name: string;
  slug: string;
  categoryId: string;
  imageUrl: string | null;
  description: string | null;
  sort: number;
  active: boolean;
  inputSchema: InputField[];
  customerNoTemplate: string | null;
}

export interface VariantView {
  id: string;
  productId: string;
  name: string;
  sku: string;
  kind: FulfilmentKind;
  supplier: string | null;
  supplierSku: string | null;
  costPrice: number;
  stock: number | null;
  active: boolean;
  supplierActive: boolean;
  sort: number;
  priceReview: boolean;
  previousCostPrice: number | null;
}

export const categoryView = (c: Category): CategoryView => ({
  id: c.id, name: c.name, slug: c.slug, type: c.type, imageUrl: c.imageUrl, sort: c.sort, active: c.active,
});

export const productView = (p: Product): ProductView => ({
  id: p.id, name: p.name, slug: p.slug, categoryId: p.categoryId, imageUrl: p.imageUrl, description: p.description,
  sort: p.sort, active: p.active, inputSchema: p.inputSchema ?? [], customerNoTemplate: p.customerNoTemplate,
});

export const variantView = (v: Variant): VariantView => ({
  id: v.id, productId: v.productId, name: v.name, sku: v.sku, kind: v.kind, supplier: v.supplier, supplierSku: v.supplierSku,
  costPrice: v.costPrice, stock: v.stock, active: v.active, supplierActive: v.supplierActive, sort: v.sort,
  priceReview: v.priceReview, previousCostPrice: v.previousCostPrice,
});
