import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { GraphQLSafeInt } from "graphql-scalars";

@ObjectType("VariantPrice")
export class VariantPriceGql {
  @Field(() => ID) id: string;
  @Field(() => ID) variantId: string;
  @Field() levelCode: string;
  @Field(() => GraphQLSafeInt, { description: "what a buyer of this level pays" }) price: number;
  @Field(() => GraphQLSafeInt, { nullable: true, description: "set by an admin; wins over markup rules" }) pinnedPrice: number | null;
}

@ObjectType("MarkupRule")
export class MarkupRuleGql {
  @Field(() => ID) id: string;
  @Field(() => ID, { nullable: true, description: "null = the default for every category without its own rule" }) categoryId: string | null;
  @Field() levelCode: string;
  @Field(() => Int, { description: "basis points: 500 = 5 %" }) percentBp: number;
  @Field(() => GraphQLSafeInt) fixedAmount: number;
}

@InputType()
export class MarkupRuleInput {
  @Field(() => ID, { nullable: true }) categoryId?: string | null;
  @Field() levelCode: string;
  @Field(() => Int) percentBp: number;
  @Field(() => GraphQLSafeInt) fixedAmount: number;
}
