import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { GraphQLSafeInt } from "graphql-scalars";
import { actorOf } from "../../core/actor";
import type { GraphQLContext } from "../../core/context";
import { DEFAULT_CATEGORY, type PricingService } from "./pricing.service";
import { MarkupRuleGql, MarkupRuleInput, VariantPriceGql } from "./pricing.types";
import type { MarkupRule } from "./markup-rule.entity";

const ruleView = (rule: MarkupRule): MarkupRuleGql => ({
  id: rule.id,
  categoryId: rule.categoryId === DEFAULT_CATEGORY ? null : rule.categoryId,
  levelCode: rule.levelCode,
  percentBp: rule.percentBp,
  fixedAmount: rule.fixedAmount,
});

@Resolver()
export class PricingResolver {
  constructor(private readonly pricing: PricingService) {}

  @Query(() => [VariantPriceGql], { description: "admin: every level's price of a variant" })
  variantPrices(@Arg("variantId", () => ID) variantId: string): Promise<VariantPriceGql[]> {
    return this.pricing.variantPrices(variantId);
  }

  @Query(() => [MarkupRuleGql])
  markupRules(): Promise<MarkupRuleGql[]> {
    return this.pricing.markupRules().then((rules) => rules.map(ruleView));
  }

  @Mutation(() => VariantPriceGql, { description: "pin a level's price (null unpins); never below cost" })
  setVariantPrice(
    @Arg("variantId", () => ID) variantId: string,
    @Arg("levelCode") levelCode: string,
    @Arg("price", () => GraphQLSafeInt, { nullable: true }) price: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<VariantPriceGql> {
    return this.pricing.setPinnedPrice(actorOf(ctx), variantId, levelCode, price ?? null);
  }

  @Mutation(() => MarkupRuleGql, { description: "create or replace the rule for a category and level; reprices at once" })
  async saveMarkupRule(@Arg("input", () => MarkupRuleInput) input: MarkupRuleInput, @Ctx() ctx: GraphQLContext): Promise<MarkupRuleGql> {
    return ruleView(await this.pricing.upsertMarkupRule(actorOf(ctx), { ...input, categoryId: input.categoryId ?? null }));
  }

  @Mutation(() => Boolean)
  deleteMarkupRule(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return this.pricing.deleteMarkupRule(actorOf(ctx), id);
  }
}
