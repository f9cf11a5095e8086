import { hasRole } from "../../core/permission-rules";
import { Role } from "../identity/role";

const admin = hasRole(Role.ADMIN);

// Buyers see their own price through Variant.price (catalog); everything here is admin-only.
export const pricingPermissions = {
  Query: { variantPrices: admin, markupRules: admin },
  Mutation: { setVariantPrice: admin, saveMarkupRule: admin, deleteMarkupRule: admin },
  VariantPrice: admin,
  MarkupRule: admin,
};
