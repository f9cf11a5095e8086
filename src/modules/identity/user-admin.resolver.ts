import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../core/context";
import { Role } from "./role";
import type { Actor, UserAdminService } from "./user-admin.service";
import { Account, UserPage, UserSearchArgs } from "./identity.types";
import { userViewer } from "./identity.resolver";

const actorOf = (ctx: GraphQLContext): Actor => ({ userId: userViewer(ctx).userId, ip: ctx.ip });

/** Staff work on accounts; every change is audited. */
@Resolver()
export class UserAdminResolver {
  constructor(private readonly admin: UserAdminService) {}

  @Query(() => UserPage, { description: "ADMIN/SUPPORT: search accounts, newest first" })
  async users(@Args(() => UserSearchArgs) args: UserSearchArgs): Promise<UserPage> {
    const { items, total } = await this.admin.list(args);
    return { items: items.map((user) => Account.of(user)), total };
  }

  @Mutation(() => Account, { description: "ADMIN: replaces the user's roles (not your own)" })
  async setUserRoles(@Arg("userId", () => ID) userId: string, @Arg("roles", () => [Role]) roles: Role[], @Ctx() ctx: GraphQLContext): Promise<Account> {
    return Account.of(await this.admin.setRoles(actorOf(ctx), userId, roles));
  }

  @Mutation(() => Account, { description: "ADMIN: sets the member level (RETAIL, MEMBER, VIP, RESELLER)" })
  async setUserLevel(@Arg("userId", () => ID) userId: string, @Arg("levelCode") levelCode: string, @Ctx() ctx: GraphQLContext): Promise<Account> {
    return Account.of(await this.admin.setLevel(actorOf(ctx), userId, levelCode));
  }

  @Mutation(() => Account, { description: "ADMIN: customer type and level become RESELLER" })
  async approveReseller(@Arg("userId", () => ID) userId: string, @Ctx() ctx: GraphQLContext): Promise<Account> {
    return Account.of(await this.admin.approveReseller(actorOf(ctx), userId));
  }

  @Mutation(() => Account, { description: "ADMIN: the user's sessions and API tokens stop working at once" })
  async suspendUser(@Arg("userId", () => ID) userId: string, @Ctx() ctx: GraphQLContext): Promise<Account> {
    return Account.of(await this.admin.suspend(actorOf(ctx), userId));
  }

  @Mutation(() => Account)
  async reactivateUser(@Arg("userId", () => ID) userId: string, @Ctx() ctx: GraphQLContext): Promise<Account> {
    return Account.of(await this.admin.reactivate(actorOf(ctx), userId));
  }

  @Mutation(() => Account, { description: "ADMIN: the reseller's API requests per minute; null = store default" })
  async setUserApiRateLimit(
    @Arg("userId", () => ID) userId: string,
    @Arg("perMinute", () => Int, { nullable: true }) perMinute: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Account> {
    return Account.of(await this.admin.setApiRateLimit(actorOf(ctx), userId, perMinute ?? null));
  }
}
