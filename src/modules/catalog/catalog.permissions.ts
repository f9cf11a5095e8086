import { hasRole, isPublic } from "../../core/permission-rules";
import { Role } from "../identity/role";

const admin = hasRole(Role.ADMIN);

export const catalogPermissions = {
  Query: {
    categories: isPublic,
    products: isPublic,
    productBySlug: isPublic,
    variantsForPriceReview: admin,
    exportCatalog: admin,
    supplierSyncReports: admin,
    supplierSyncReport: admin,
  },
  Mutation: {
    saveCategory: admin,
    deleteCategory: admin,
    saveProduct: admin,
    deleteProduct: admin,
    saveVariant: admin,
    clearPriceReview: admin,
    importCatalog: admin,
    runSupplierSync: admin,
  },
  Category: isPublic,
  InputOption: isPublic,
  ProductInputField: isPublic,
  ProductConnection: isPublic,
  Product: { "*": isPublic, customerNoTemplate: admin },
  // cost and supplier details are the store's business
  Variant: {
    "*": isPublic,
    supplier: admin,
    supplierSku: admin,
    costPrice: admin,
    supplierActive: admin,
    priceReview: admin,
    previousCostPrice: admin,
  },
  ImportReport: admin,
  ImportRowError: admin,
  ExportFile: admin,
  SupplierSyncReport: admin,
  SupplierSyncChange: admin,
};
