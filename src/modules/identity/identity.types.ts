import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLDateTimeISO } from "graphql-scalars";
import { Role } from "./role";
import { ApiScope } from "./scopes";
import { CustomerType, UserStatus, type User } from "./user.entity";
import type { ApiToken } from "./api-token.entity";
import type { SessionTokens } from "./session.service";

registerEnumType(UserStatus, { name: "UserStatus" });
registerEnumType(CustomerType, { name: "CustomerType", description: "RESELLER: approved reseller (reseller prices, API tokens)" });

/** Set on accounts a resolver returns to their owner (e.g. right after sign-in, before a viewer exists). */
export const OWN_ACCOUNT = Symbol("ownAccount");

@ObjectType({ description: "A price tier; every price lookup keys on one" })
export class MemberLevelInfo {
  @Field() code: string;
  @Field() name: string;
  @Field(() => Int) rank: number;
}

@ObjectType({ description: "A user account; readable by its owner and by ADMIN/SUPPORT staff" })
export class Account {
  [OWN_ACCOUNT]?: boolean;
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() email: string;
  @Field(() => String, { nullable: true, description: "62… form" }) whatsapp: string | null;
  @Field(() => UserStatus) status: UserStatus;
  @Field(() => CustomerType) customerType: CustomerType;
  @Field(() => MemberLevelInfo) level: MemberLevelInfo;
  @Field(() => [Role]) roles: Role[];
  @Field(() => Int, { nullable: true, description: "API requests per minute for this reseller; null = store default" })
  apiRateLimitPerMinute: number | null;
  @Field(() => GraphQLDateTimeISO) createdAt: Date;

  static of(user: User, own = false): Account {
    const account = Object.assign(new Account(), {
      id: user.id,
      name: user.name,
      email: user.email,
      whatsapp: user.whatsapp,
      status: user.status,
      customerType: user.customerType,
      level: { code: user.level?.code ?? "", name: user.level?.name ?? "", rank: user.level?.rank ?? 0 },
      roles: (user.roles ?? []).map((row) => row.role).sort(),
      apiRateLimitPerMinute: user.apiRateLimitPerMinute,
      createdAt: user.createdAt,
    });
    if (own) account[OWN_ACCOUNT] = true;
    return account;
  }
}

@ObjectType({ description: "A signed-in session: keep the refresh token secret; it works once" })
export class AuthPayload {
  @Field() accessToken: string;
  @Field(() => GraphQLDateTimeISO) accessTokenExpiresAt: Date;
  @Field() refreshToken: string;
  @Field(() => GraphQLDateTimeISO) refreshTokenExpiresAt: Date;
  @Field(() => Account) account: Account;

  static of(tokens: SessionTokens, user: User): AuthPayload {
    return Object.assign(new AuthPayload(), { ...tokens, account: Account.of(user, true) });
  }
}

@ObjectType()
export class UserPage {
  @Field(() => [Account]) items: Account[];
  @Field(() => Int) total: number;
}

@ObjectType({ description: "A reseller API token (the secret itself is shown only when created)" })
export class ApiTokenInfo {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: "first characters of the token, e.g. lpk_Ab3d" }) prefix: string;
  @Field() last4: string;
  @Field(() => [ApiScope]) scopes: ApiScope[];
  @Field(() => GraphQLDateTimeISO, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) revokedAt: Date | null;
  @Field(() => GraphQLDateTimeISO) createdAt: Date;

  static of(token: ApiToken): ApiTokenInfo {
    const { id, name, prefix, last4, lastUsedAt, revokedAt, createdAt } = token;
    return Object.assign(new ApiTokenInfo(), { id, name, prefix, last4, scopes: token.scopes as ApiScope[], lastUsedAt, revokedAt, createdAt });
  }
}

@ObjectType()
export class CreatedApiToken {
  @Field({ description: "Send as `Authorization: Bearer <token>`; shown only now" }) token: string;
  @Field(() => ApiTokenInfo) apiToken: ApiTokenInfo;
}

@ObjectType({ description: "Something changed on the viewer's account (roles, level, status, ...)" })
export class AccountEvent {
  @Field(() => ID) userId: string;
  @Field({ description: "the audited action, e.g. user.level.set" }) change: string;
  @Field(() => GraphQLDateTimeISO) at: Date;
}

@InputType()
export class RegisterInput {
  @Field() name: string;
  @Field() email: string;
  @Field() password: string;
  @Field(() => String, { nullable: true, description: "08…, +62… or 62…" }) whatsapp?: string | null;
}

@InputType()
export class UpdateProfileInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: "empty string clears it" }) whatsapp?: string | null;
}

@ArgsType()
export class UserSearchArgs {
  @Field(() => String, { nullable: true, description: "part of the email, name or WhatsApp number" }) search?: string | null;
  @Field(() => UserStatus, { nullable: true }) status?: UserStatus | null;
  @Field(() => CustomerType, { nullable: true }) customerType?: CustomerType | null;
  @Field(() => Int, { defaultValue: 0 }) offset: number;
  @Field(() => Int, { defaultValue: 20 }) limit: number;
}
