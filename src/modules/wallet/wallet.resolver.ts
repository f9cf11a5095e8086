import { Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../core/context";
import { actorOf, currentUserId } from "../../core/current-user";
import { PageArgs } from "../../core/paging";
import { toLedgerEntry } from "../../core/ledger-types";
import type { WalletService } from "./wallet.service";
import type { BalanceMutation } from "./balance-mutation.entity";
import {
  AdjustWalletArgs,
  BalanceMutationInfo,
  BalanceMutationPage,
  CashbackModeArgs,
  UserArgs,
  UserPageArgs,
  WalletInfo,
} from "./wallet.types";

const toInfo = (row: BalanceMutation): BalanceMutationInfo => toLedgerEntry(row);

@Resolver()
export class WalletResolver {
  constructor(private readonly wallets: WalletService) {}

  @Query(() => WalletInfo, { description: "The signed-in user's wallet" })
  myWallet(@Ctx() ctx: GraphQLContext): Promise<WalletInfo> {
    return this.wallets.view(currentUserId(ctx));
  }

  @Query(() => BalanceMutationPage, { description: "The signed-in user's wallet ledger, newest first" })
  async myWalletMutations(@Args() { first, after }: PageArgs, @Ctx() ctx: GraphQLContext): Promise<BalanceMutationPage> {
    const page = await this.wallets.mutations(currentUserId(ctx), first, after);
    return { ...page, items: page.items.map(toInfo) };
  }

  @Query(() => WalletInfo, { description: "Admin: any user's wallet" })
  userWallet(@Args() { userId }: UserArgs): Promise<WalletInfo> {
    return this.wallets.view(userId);
  }

  @Query(() => BalanceMutationPage, { description: "Admin: any user's wallet ledger, newest first" })
  async userWalletMutations(@Args() { userId, first, after }: UserPageArgs): Promise<BalanceMutationPage> {
    const page = await this.wallets.mutations(userId, first, after);
    return { ...page, items: page.items.map(toInfo) };
  }

  @Mutation(() => BalanceMutationInfo, { description: "Admin/billing: add (positive) or take (negative) rupiah with a reason; audited" })
  async adjustWalletBalance(@Args() args: AdjustWalletArgs, @Ctx() ctx: GraphQLContext): Promise<BalanceMutationInfo> {
    return toInfo(await this.wallets.adjust(actorOf(ctx), args));
  }

  @Mutation(() => WalletInfo, { description: "Admin/billing: turn a reseller's cashback mode on or off; audited" })
  setCashbackMode(@Args() { userId, on }: CashbackModeArgs, @Ctx() ctx: GraphQLContext): Promise<WalletInfo> {
    return this.wallets.setCashbackMode(actorOf(ctx), userId, on);
  }
}
