import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../core/context";
import type { ApiTokenService } from "./api-token.service";
import { ApiScope } from "./scopes";
import { ApiTokenInfo, CreatedApiToken } from "./identity.types";
import { userViewer } from "./identity.resolver";

/** A reseller's own API tokens. */
@Resolver()
export class ApiTokenResolver {
  constructor(private readonly tokens: ApiTokenService) {}

  @Query(() => [ApiTokenInfo], { description: "Your API tokens, newest first (revoked ones included)" })
  async myApiTokens(@Ctx() ctx: GraphQLContext): Promise<ApiTokenInfo[]> {
    return (await this.tokens.list(userViewer(ctx).userId)).map(ApiTokenInfo.of);
  }

  @Mutation(() => CreatedApiToken, { description: "Approved resellers only; the token is shown once" })
  async createApiToken(
    @Arg("name") name: string,
    @Arg("scopes", () => [ApiScope]) scopes: ApiScope[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreatedApiToken> {
    const { token, apiToken } = await this.tokens.create(userViewer(ctx).userId, name, scopes);
    return { token, apiToken: ApiTokenInfo.of(apiToken) };
  }

  @Mutation(() => ApiTokenInfo, { description: "Stops the token at once, on HTTP and WebSocket" })
  async revokeApiToken(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ApiTokenInfo> {
    return ApiTokenInfo.of(await this.tokens.revoke(userViewer(ctx).userId, id));
  }
}
