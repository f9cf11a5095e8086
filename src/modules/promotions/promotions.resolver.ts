import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../core/context";
import { actorOf, currentUserId } from "../../core/current-user";
import { PageArgs } from "../../core/paging";
import type { VoucherAdminService, VoucherDetail } from "./voucher-admin.service";
import type { VoucherService } from "./voucher.service";
import { MemberVoucherInfo, UpdateVoucherArgs, VoucherIdArgs, VoucherInfo, VoucherInput, VoucherPage } from "./promotions.types";

const toInfo = ({ voucher, categoryIds, productIds }: VoucherDetail): VoucherInfo => ({ ...voucher, categoryIds, productIds });

@Resolver()
export class PromotionsResolver {
  constructor(
    private readonly usage: VoucherService,
    private readonly admin: VoucherAdminService,
  ) {}

  @Query(() => [MemberVoucherInfo], { description: "Public vouchers the signed-in member can use now, with their own usage" })
  async myVouchers(@Ctx() ctx: GraphQLContext): Promise<MemberVoucherInfo[]> {
    const rows = await this.usage.forMember(currentUserId(ctx));
    return rows.map(({ voucher, usedByMe, remainingForMe }) => ({ ...voucher, usedByMe, remainingForMe }));
  }

  @Query(() => VoucherPage, { description: "Admin: every voucher, newest first" })
  async vouchers(@Args() { first, after }: PageArgs): Promise<VoucherPage> {
    const page = await this.admin.list(first, after);
    return { items: page.items.map(toInfo), nextCursor: page.nextCursor };
  }

  @Query(() => VoucherInfo, { description: "Admin: one voucher" })
  async voucher(@Args() { id }: VoucherIdArgs): Promise<VoucherInfo> {
    return toInfo(await this.admin.get(id));
  }

  @Mutation(() => VoucherInfo, { description: "Admin: create a voucher; audited" })
  async createVoucher(@Arg("input", () => VoucherInput) input: VoucherInput, @Ctx() ctx: GraphQLContext): Promise<VoucherInfo> {
    return toInfo(await this.admin.create(actorOf(ctx), input));
  }

  @Mutation(() => VoucherInfo, { description: "Admin: replace a voucher's fields; audited" })
  async updateVoucher(@Args() { id, input }: UpdateVoucherArgs, @Ctx() ctx: GraphQLContext): Promise<VoucherInfo> {
    return toInfo(await this.admin.update(actorOf(ctx), id, input));
  }

  @Mutation(() => Boolean, { description: "Admin: delete a never-used voucher (deactivate used ones); audited" })
  deleteVoucher(@Args() { id }: VoucherIdArgs, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return this.admin.remove(actorOf(ctx), id);
  }
}
