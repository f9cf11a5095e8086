import { registerEnumType } from "type-graphql";

/** What a category sells; storefronts group and style by it. */
export enum CategoryType {
  GAME = "GAME",
  PULSA = "PULSA",
  DATA = "DATA",
  PLN = "PLN",
  EWALLET = "EWALLET",
  VOUCHER = "VOUCHER",
  PREMIUM_ACCOUNT = "PREMIUM_ACCOUNT",
  PHYSICAL = "PHYSICAL",
  HOSTING = "HOSTING",
  DOMAIN = "DOMAIN",
  SSL = "SSL",
  OTHER = "OTHER",
}

/** How a bought variant is delivered; fulfilment picks its path from this. */
export enum FulfilmentKind {
  SUPPLIER = "SUPPLIER",
  STOCK = "STOCK",
  INVITE = "INVITE",
  PHYSICAL = "PHYSICAL",
  SUBSCRIPTION = "SUBSCRIPTION",
  DOMAIN = "DOMAIN",
  SSL = "SSL",
}

/** Kinds of buyer input a product may ask for. */
export enum InputFieldType {
  TEXT = "TEXT",
  NUMBER = "NUMBER",
  PHONE = "PHONE",
  EMAIL = "EMAIL",
  SELECT = "SELECT",
}

export enum ProductSort {
  FEATURED = "FEATURED",
  NAME = "NAME",
  NEWEST = "NEWEST",
}

export enum ImportMode {
  /** any bad row and nothing is written */
  ALL_OR_NOTHING = "ALL_OR_NOTHING",
  /** good rows are written, bad rows reported */
  GOOD_ROWS_ONLY = "GOOD_ROWS_ONLY",
}

export enum FileFormat {
  CSV = "CSV",
  XLSX = "XLSX",
}

registerEnumType(CategoryType, { name: "CategoryType" });
registerEnumType(FulfilmentKind, { name: "FulfilmentKind", description: "How a variant is delivered" });
registerEnumType(InputFieldType, { name: "InputFieldType" });
registerEnumType(ProductSort, { name: "ProductSort" });
registerEnumType(ImportMode, { name: "ImportMode" });
registerEnumType(FileFormat, { name: "FileFormat" });
