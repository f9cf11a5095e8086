import { Args, Ctx, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../core/context";
import { currentUserId } from "../../core/current-user";
import { PageArgs } from "../../core/paging";
import { toLedgerEntry } from "../../core/ledger-types";
import type { PointsService } from "./points.service";
import { MyPoints } from "./points.types";

@Resolver()
export class PointsResolver {
  constructor(private readonly points: PointsService) {}

  @Query(() => MyPoints, { description: "The signed-in user's points balance and ledger" })
  async myPoints(@Args() { first, after }: PageArgs, @Ctx() ctx: GraphQLContext): Promise<MyPoints> {
    const userId = currentUserId(ctx);
    const [rules, balance, page] = await Promise.all([this.points.currentRules(), this.points.balance(userId), this.points.mutations(userId, first, after)]);
    return {
      ...rules,
      balance,
      mutations: page.items.map(toLedgerEntry),
      nextCursor: page.nextCursor,
    };
  }
}
