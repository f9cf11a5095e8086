import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { GraphQLSafeInt } from "graphql-scalars";
import { CategoryType, FileFormat, FulfilmentKind, ImportMode, InputFieldType } from "./catalog.enums";

// The listing's types (~950 fields a page) use graphql's default resolver instead of type-graphql's per-field wrapper.
const plain = { simpleResolvers: true };

@ObjectType("Category", plain)
export class CategoryGql {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() slug: string;
  @Field(() => CategoryType) type: CategoryType;
  @Field(() => String, { nullable: true }) imageUrl: string | null;
  @Field(() => Int) sort: number;
  @Field() active: boolean;
}

@ObjectType()
export class InputOption {
  @Field() value: string;
  @Field() label: string;
}

@ObjectType({ description: "A field the buyer fills in at checkout" })
export class ProductInputField {
  @Field() key: string;
  @Field() label: string;
  @Field(() => InputFieldType) type: InputFieldType;
  @Field() required: boolean;
  @Field(() => String, { nullable: true, description: "JavaScript regular expression the whole value must match" }) pattern?: string | null;
  @Field(() => [InputOption], { nullable: true }) options?: InputOption[] | null;
  @Field(() => String, { nullable: true }) placeholder?: string | null;
}

@ObjectType("Product", plain)
export class ProductGql {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() slug: string;
  @Field(() => ID) categoryId: string;
  @Field(() => String, { nullable: true }) imageUrl: string | null;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => Int) sort: number;
  @Field() active: boolean;
  @Field(() => [ProductInputField]) inputSchema: ProductInputField[];
  @Field(() => String, { nullable: true, description: "admin only: builds the supplier customer_no, e.g. {userId}{zoneId}" })
  customerNoTemplate: string | null;
}

@ObjectType("Variant", plain)
export class VariantGql {
  @Field(() => ID) id: string;
  @Field(() => ID) productId: string;
  @Field() name: string;
  @Field() sku: string;
  @Field(() => FulfilmentKind) kind: FulfilmentKind;
  @Field(() => Int, { nullable: true, description: "units left where the store counts them" }) stock: number | null;
  @Field(() => Int) sort: number;
  // admin-only fields (see catalog.permissions.ts)
  @Field(() => String, { nullable: true }) supplier: string | null;
  @Field(() => String, { nullable: true }) supplierSku: string | null;
  @Field(() => GraphQLSafeInt) costPrice: number;
  @Field() active: boolean;
  @Field() supplierActive: boolean;
  @Field({ description: "a supplier cost jump passed the review threshold" }) priceReview: boolean;
  @Field(() => GraphQLSafeInt, { nullable: true }) previousCostPrice: number | null;
}

@ObjectType(plain)
export class ProductConnection {
  @Field(() => [ProductGql]) items: ProductGql[];
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field() hasNextPage: boolean;
}

@InputType()
export class ProductFilterInput {
  @Field(() => ID, { nullable: true }) categoryId?: string | null;
  @Field(() => String, { nullable: true }) categorySlug?: string | null;
  @Field(() => CategoryType, { nullable: true }) type?: CategoryType | null;
  @Field(() => FulfilmentKind, { nullable: true }) kind?: FulfilmentKind | null;
  @Field(() => String, { nullable: true, description: "matches product names" }) search?: string | null;
}

@InputType()
export class CategoryInput {
  @Field() name: string;
  @Field() slug: string;
  @Field(() => CategoryType) type: CategoryType;
  @Field(() => String, { nullable: true }) imageUrl?: string | null;
  @Field(() => Int, { nullable: true }) sort?: number;
  @Field({ nullable: true }) active?: boolean;
}

@InputType()
export class InputOptionInput {
  @Field() value: string;
  @Field() label: string;
}

@InputType()
export class ProductInputFieldInput {
  @Field() key: string;
  @Field() label: string;
  @Field(() => InputFieldType) type: InputFieldType;
  @Field() required: boolean;
  @Field(() => String, { nullable: true }) pattern?: string | null;
  @Field(() => [InputOptionInput], { nullable: true }) options?: InputOptionInput[] | null;
  @Field(() => String, { nullable: true }) placeholder?: string | null;
}

@InputType()
export class ProductInput {
  @Field() name: string;
  @Field() slug: string;
  @Field(() => ID) categoryId: string;
  @Field(() => String, { nullable: true }) imageUrl?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Int, { nullable: true }) sort?: number;
  @Field({ nullable: true }) active?: boolean;
  @Field(() => [ProductInputFieldInput], { nullable: true }) inputSchema?: ProductInputFieldInput[];
  @Field(() => String, { nullable: true }) customerNoTemplate?: string | null;
}

@InputType()
export class VariantInput {
  @Field(() => ID) productId: string;
  @Field() name: string;
  @Field() sku: string;
  @Field(() => FulfilmentKind) kind: FulfilmentKind;
  @Field(() => String, { nullable: true }) supplier?: string | null;
  @Field(() => String, { nullable: true }) supplierSku?: string | null;
  @Field(() => GraphQLSafeInt) costPrice: number;
  @Field(() => Int, { nullable: true }) stock?: number | null;
  @Field({ nullable: true }) active?: boolean;
  @Field(() => Int, { nullable: true }) sort?: number;
}

@ObjectType()
export class ImportRowError {
  @Field(() => Int, { description: "1-based row number in the file, header = row 1" }) row: number;
  @Field(() => String, { nullable: true }) column: string | null;
  @Field() message: string;
}

@ObjectType()
export class ImportReport {
  @Field(() => ImportMode) mode: ImportMode;
  @Field(() => Int) totalRows: number;
  @Field(() => Int, { description: "rows written" }) importedRows: number;
  @Field(() => Int) productsCreated: number;
  @Field(() => Int) variantsCreated: number;
  @Field(() => Int) variantsUpdated: number;
  @Field(() => [ImportRowError]) errors: ImportRowError[];
}

@ObjectType()
export class ExportFile {
  @Field(() => FileFormat) format: FileFormat;
  @Field() filename: string;
  @Field({ description: "the file, base64-encoded" }) contentBase64: string;
  @Field(() => Int) rows: number;
}
