import { ulid } from "ulid";
import type { Services } from "../../src/composition-root";
import { CategoryType, FulfilmentKind, InputFieldType } from "../../src/modules/catalog/catalog.enums";
import type { CategoryView, ProductView, VariantView } from "../../src/modules/catalog/catalog.views";

export const ADMIN = { userId: "01TESTADM1N000000000000000", ip: "127.0.0.1" };

/** Digiflazz simulator SKUs priced at or under the fixture's default costs (19,500 and 39,000), so purchases go through. */
const SIM_SKUS = ["ML86", "ML172", "ML257"];

/** A game category with a Mobile-Legends-like product (user id + zone id) and variants at the given costs. */
export async function gameFixture(services: Services, costs: number[] = [19_800, 39_400]): Promise<{ category: CategoryView; product: ProductView; variants: VariantView[] }> {
  const tag = ulid().slice(-8).toLowerCase();
  const category = await services.catalog.saveCategory(ADMIN, null, { name: `Game ${tag}`, slug: `game-${tag}`, type: CategoryType.GAME });
  const product = await services.catalog.saveProduct(ADMIN, null, {
    name: `Mobile Legends ${tag}`,
    slug: `ml-${tag}`,
    categoryId: category.id,
    inputSchema: [
      { key: "userId", label: "User ID", type: InputFieldType.NUMBER, required: true, pattern: "[0-9]{5,12}" },
      { key: "zoneId", label: "Zone ID", type: InputFieldType.NUMBER, required: true, pattern: "[0-9]{2,6}" },
    ],
    customerNoTemplate: "{userId}{zoneId}",
  });
  const variants: VariantView[] = [];
  for (const [index, cost] of costs.entries()) {
    variants.push(
      await services.catalog.saveVariant(ADMIN, null, {
        productId: product.id, name: `Pack ${index}`, sku: `T${tag}${index}`.toUpperCase(), kind: FulfilmentKind.SUPPLIER,
        // a supplier of its own (the SKU is unique per supplier) selling SKUs the Digiflazz simulator knows
        supplier: `sim-${tag}`, supplierSku: SIM_SKUS[index] ?? `T${tag}${index}`.toUpperCase(), costPrice: cost, sort: index,
      }),
    );
  }
  return { category, product, variants };
}
