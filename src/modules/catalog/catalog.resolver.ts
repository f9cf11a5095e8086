import DataLoader from "dataloader";
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { GraphQLSafeInt } from "graphql-scalars";
import { actorOf, levelOf } from "../../core/actor";
import type { GraphQLContext } from "../../core/context";
import type { PricingService } from "../pricing/pricing.service";
import { FileFormat, ImportMode, ProductSort } from "./catalog.enums";
import type { CatalogImportService } from "./catalog-import.service";
import type { CatalogService } from "./catalog.service";
import {
  CategoryGql, CategoryInput, ExportFile, ImportReport, ProductConnection, ProductFilterInput, ProductGql, ProductInput,
  VariantGql, VariantInput,
} from "./catalog.types";
import type { CategoryView, ProductView, VariantView } from "./catalog.views";

@Resolver()
export class CatalogResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly imports: CatalogImportService,
  ) {}

  @Query(() => [CategoryGql], { description: "Active categories in display order" })
  categories(): Promise<CategoryView[]> {
    return this.catalog.listCategories();
  }

  @Query(() => ProductConnection, { description: "Active products; page with `first` and the previous page's `endCursor`" })
  async products(
    @Arg("filter", () => ProductFilterInput, { nullable: true }) filter: ProductFilterInput | null,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("sort", () => ProductSort, { defaultValue: ProductSort.FEATURED }) sort: ProductSort,
    @Ctx() ctx: GraphQLContext,
  ) {
    const { categoryId, categorySlug, type, kind, search } = filter ?? {};
    return this.catalog.listProducts({ filter: { categoryId, categorySlug, type, kind, search }, first, after, sort }, await categoriesById(this.catalog, ctx));
  }

  @Query(() => ProductGql, { nullable: true })
  productBySlug(@Arg("slug") slug: string): Promise<ProductView | null> {
    return this.catalog.productBySlug(slug);
  }

  @Query(() => [VariantGql], { description: "admin: variants whose supplier cost jumped past the review threshold" })
  variantsForPriceReview(): Promise<VariantView[]> {
    return this.catalog.variantsForReview();
  }

  @Query(() => ExportFile, { description: "admin: every product and variant as CSV or XLSX (base64)" })
  exportCatalog(@Arg("format", () => FileFormat) format: FileFormat): Promise<ExportFile> {
    return this.imports.exportCatalog(format);
  }

  @Mutation(() => CategoryGql)
  saveCategory(
    @Arg("id", () => ID, { nullable: true, description: "omit to create" }) id: string | null,
    @Arg("input", () => CategoryInput) input: CategoryInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CategoryView> {
    return this.catalog.saveCategory(actorOf(ctx), id ?? null, input);
  }

  @Mutation(() => Boolean)
  deleteCategory(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return this.catalog.deleteCategory(actorOf(ctx), id);
  }

  @Mutation(() => ProductGql)
  saveProduct(
    @Arg("id", () => ID, { nullable: true, description: "omit to create" }) id: string | null,
    @Arg("input", () => ProductInput) input: ProductInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ProductView> {
    return this.catalog.saveProduct(actorOf(ctx), id ?? null, input);
  }

  @Mutation(() => Boolean, { description: "only a product without variants; deactivate it otherwise" })
  deleteProduct(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return this.catalog.deleteProduct(actorOf(ctx), id);
  }

  @Mutation(() => VariantGql, { description: "variants are never deleted (orders point at them): set active false" })
  saveVariant(
    @Arg("id", () => ID, { nullable: true, description: "omit to create" }) id: string | null,
    @Arg("input", () => VariantInput) input: VariantInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<VariantView> {
    return this.catalog.saveVariant(actorOf(ctx), id ?? null, input);
  }

  @Mutation(() => VariantGql)
  clearPriceReview(@Arg("variantId", () => ID) variantId: string, @Ctx() ctx: GraphQLContext): Promise<VariantView> {
    return this.catalog.clearPriceReview(actorOf(ctx), variantId);
  }

  @Mutation(() => ImportReport, { description: "admin: products and variants from a CSV or XLSX file sent as base64" })
  importCatalog(
    @Arg("format", () => FileFormat) format: FileFormat,
    @Arg("contentBase64") contentBase64: string,
    @Arg("mode", () => ImportMode) mode: ImportMode,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ImportReport> {
    return this.imports.importCatalog(actorOf(ctx), { format, contentBase64, mode });
  }
}

/** Every category, read once per request: the listing's filter and each product's category. */
function categoriesById(catalog: CatalogService, ctx: GraphQLContext): Promise<ReadonlyMap<string, CategoryView>> {
  return ctx.loaders.once("catalog.categoriesById", async () => new Map((await catalog.allCategories()).map((category) => [category.id, category])));
}

/** Product fields loaded in batches per request (one statement per field per page). */
@Resolver(() => ProductGql)
export class ProductFieldsResolver {
  constructor(private readonly catalog: CatalogService) {}

  @FieldResolver(() => CategoryGql, { nullable: true })
  async category(@Root() product: ProductView, @Ctx() ctx: GraphQLContext): Promise<CategoryView | null> {
    return (await categoriesById(this.catalog, ctx)).get(product.categoryId) ?? null;
  }

  @FieldResolver(() => [VariantGql], { description: "sellable variants in display order" })
  variants(@Root() product: ProductView, @Ctx() ctx: GraphQLContext): Promise<VariantView[]> {
    return ctx.loaders.get("catalog.variantsByProduct", () => new DataLoader((ids: readonly string[]) => this.catalog.variantsByProducts(ids))).load(product.id);
  }
}

@Resolver(() => VariantGql)
export class VariantFieldsResolver {
  constructor(private readonly pricing: PricingService) {}

  @FieldResolver(() => GraphQLSafeInt, { nullable: true, description: "the viewer's price (guests: RETAIL); null when not priced" })
  price(@Root() variant: VariantView, @Ctx() ctx: GraphQLContext): Promise<number | null> {
    const level = levelOf(ctx.viewer);
    return ctx.loaders
      .get(`pricing.price:${level}`, () => new DataLoader((ids: readonly string[]) => this.pricing.cachedPricesFor(level, ids)))
      .load(variant.id);
  }
}

