import { ArgsType, Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { GraphQLDateTimeISO, GraphQLSafeInt } from "graphql-scalars";
import { IsOptional, Length, MaxLength } from "class-validator";
import { VoucherKind, VoucherScope } from "./voucher.entity";

/** What a buyer needs to know about a voucher; never returned itself, so it stays out of the schema. */
@ObjectType()
export abstract class VoucherTerms {
  @Field()
  code: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => VoucherKind)
  kind: VoucherKind;

  @Field(() => GraphQLSafeInt, { description: "PERCENT: basis points (1000 = 10%); FIXED: rupiah" })
  value: number;

  @Field(() => GraphQLSafeInt, { nullable: true, description: "Rupiah cap on the discount" })
  maxDiscount: number | null;

  @Field(() => GraphQLSafeInt, { description: "Smallest eligible amount, rupiah" })
  minSpend: number;

  @Field(() => VoucherScope)
  scope: VoucherScope;

  @Field(() => GraphQLDateTimeISO, { nullable: true })
  validUntil: Date | null;
}

@ObjectType({ description: "A voucher as admins see it" })
export class VoucherInfo extends VoucherTerms {
  @Field(() => ID)
  id: string;

  @Field(() => [ID])
  categoryIds: string[];

  @Field(() => [ID])
  productIds: string[];

  @Field(() => GraphQLDateTimeISO, { nullable: true })
  validFrom: Date | null;

  @Field(() => Int, { nullable: true, description: "null: unlimited" })
  totalLimit: number | null;

  @Field(() => Int, { description: "Reserved and used uses" })
  usedCount: number;

  @Field(() => Int, { nullable: true, description: "null: unlimited" })
  perUserLimit: number | null;

  @Field()
  active: boolean;

  @Field({ description: "Listed to members in myVouchers" })
  isPublic: boolean;
}

@ObjectType()
export class VoucherPage {
  @Field(() => [VoucherInfo])
  items: VoucherInfo[];

  @Field(() => String, { nullable: true })
  nextCursor: string | null;
}

@ObjectType({ description: "A public voucher a member can use now, and how often they used it" })
export class MemberVoucherInfo extends VoucherTerms {
  @Field(() => Int, { description: "Your reserved and used uses" })
  usedByMe: number;

  @Field(() => Int, { nullable: true, description: "Uses you have left; null: unlimited" })
  remainingForMe: number | null;
}

@InputType({ description: "Every editable field of a voucher (update replaces them all)" })
export class VoucherInput {
  @Field({ description: "Case-insensitive; stored upper-cased" })
  @Length(3, 40)
  code: string;

  @Field()
  @Length(1, 120)
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  description?: string | null;

  @Field(() => VoucherKind)
  kind: VoucherKind;

  @Field(() => GraphQLSafeInt, { description: "PERCENT: basis points 1..10000; FIXED: rupiah" })
  value: number;

  @Field(() => GraphQLSafeInt, { nullable: true })
  maxDiscount?: number | null;

  @Field(() => GraphQLSafeInt, { defaultValue: 0 })
  minSpend: number;

  @Field(() => VoucherScope, { defaultValue: VoucherScope.ALL })
  scope: VoucherScope;

  @Field(() => [ID], { defaultValue: [], description: "Catalog category ids (scope CATEGORIES)" })
  categoryIds: string[];

  @Field(() => [ID], { defaultValue: [], description: "Catalog product ids (scope PRODUCTS)" })
  productIds: string[];

  @Field(() => GraphQLDateTimeISO, { nullable: true })
  validFrom?: Date | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true })
  validUntil?: Date | null;

  @Field(() => Int, { nullable: true })
  totalLimit?: number | null;

  @Field(() => Int, { nullable: true })
  perUserLimit?: number | null;

  @Field({ defaultValue: true })
  active: boolean;

  @Field({ defaultValue: false })
  isPublic: boolean;
}

@ArgsType()
export class VoucherIdArgs {
  @Field(() => ID)
  id: string;
}

@ArgsType()
export class UpdateVoucherArgs extends VoucherIdArgs {
  @Field(() => VoucherInput)
  input: VoucherInput;
}
