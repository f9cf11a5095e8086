import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { GraphQLContext, Viewer } from "../../core/context";
import { unauthenticated } from "../../core/errors";
import type { IdentityService } from "./identity.service";
import type { SessionService } from "./session.service";
import { ACCOUNT_UPDATED, type AccountEventPayload } from "./user-admin.service";
import { Account, AccountEvent, AuthPayload, MemberLevelInfo, RegisterInput, UpdateProfileInput } from "./identity.types";

type UserViewer = Extract<Viewer, { kind: "user" }>;

/** The signed-in viewer (shield has already refused guests). */
export function userViewer(ctx: GraphQLContext): UserViewer {
  if (ctx.viewer.kind !== "user") throw unauthenticated();
  return ctx.viewer;
}

/** Accounts and sessions: sign-up, sign-in, refresh, sign-out, passwords, profile. */
@Resolver()
export class IdentityResolver {
  constructor(
    private readonly identity: IdentityService,
    private readonly sessions: SessionService,
  ) {}

  @Query(() => Account, { description: "The signed-in account" })
  async me(@Ctx() ctx: GraphQLContext): Promise<Account> {
    return Account.of(await this.identity.getUser(userViewer(ctx).userId), true);
  }

  @Query(() => Account, { description: "One account: your own, or any for ADMIN/SUPPORT" })
  async user(@Arg("id", () => ID) id: string): Promise<Account> {
    return Account.of(await this.identity.getUser(id));
  }

  @Query(() => [MemberLevelInfo])
  async memberLevels(): Promise<MemberLevelInfo[]> {
    return (await this.identity.memberLevels()).map(({ code, name, rank }) => ({ code, name, rank }));
  }

  @Mutation(() => AuthPayload, { description: "Creates a customer account and signs it in" })
  async register(@Arg("input", () => RegisterInput) input: RegisterInput, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    const tokens = await this.identity.register(input, ctx.ip);
    return AuthPayload.of(tokens, await this.identity.getUser(tokens.userId));
  }

  @Mutation(() => AuthPayload)
  async login(@Arg("email") email: string, @Arg("password") password: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    const tokens = await this.sessions.login(email, password, ctx.ip);
    return AuthPayload.of(tokens, await this.identity.getUser(tokens.userId));
  }

  @Mutation(() => AuthPayload, { description: "Trades a refresh token (once) for new tokens; reusing an old one ends the session" })
  async refreshSession(@Arg("refreshToken") refreshToken: string): Promise<AuthPayload> {
    const tokens = await this.sessions.refresh(refreshToken);
    return AuthPayload.of(tokens, await this.identity.getUser(tokens.userId));
  }

  @Mutation(() => Boolean, { description: "Ends the current session (its access and refresh tokens stop working)" })
  async logout(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    await this.sessions.logout(userViewer(ctx).sessionId!);
    return true;
  }

  @Mutation(() => Boolean, { description: "Always true; when the email has an account, a reset link is sent" })
  async requestPasswordReset(@Arg("email") email: string): Promise<boolean> {
    await this.identity.requestPasswordReset(email);
    return true;
  }

  @Mutation(() => Boolean, { description: "Sets a new password with a reset token (single use, 1 h); signs out everywhere" })
  async resetPassword(@Arg("token") token: string, @Arg("newPassword") newPassword: string): Promise<boolean> {
    await this.identity.resetPassword(token, newPassword);
    return true;
  }

  @Mutation(() => Boolean, { description: "Other sessions of the account end; this one stays" })
  async changePassword(
    @Arg("currentPassword") currentPassword: string,
    @Arg("newPassword") newPassword: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    const viewer = userViewer(ctx);
    await this.identity.changePassword(viewer.userId, viewer.sessionId, currentPassword, newPassword);
    return true;
  }

  @Mutation(() => Account)
  async updateProfile(@Arg("input", () => UpdateProfileInput) input: UpdateProfileInput, @Ctx() ctx: GraphQLContext): Promise<Account> {
    return Account.of(await this.identity.updateProfile(userViewer(ctx).userId, input), true);
  }

  @Subscription(() => AccountEvent, {
    description: "Changes staff make to the signed-in account (roles, level, status)",
    topics: ACCOUNT_UPDATED,
    // Shield does not guard subscription setup: refuse guests here, at subscribe time.
    topicId: ({ context }) => userViewer(context as GraphQLContext).userId,
  })
  accountEvents(@Root() event: AccountEventPayload): AccountEvent {
    return { userId: event.userId, change: event.change, at: new Date(event.at) };
  }
}
