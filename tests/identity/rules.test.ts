import { expect } from "chai";
import type { GraphQLResolveInfo } from "graphql";
import { GUEST, LoaderCache, type GraphQLContext, type Viewer } from "../../src/core/context";
import { hasRole, hasScope } from "../../src/core/permission-rules";
import { Role } from "../../src/modules/identity/role";
import { ApiScope } from "../../src/modules/identity/scopes";

const contextOf = (viewer: Viewer) =>
  ({ requestId: "t", ip: "127.0.0.1", viewer, loaders: new LoaderCache(), _shield: { cache: {} } }) as GraphQLContext & { _shield: { cache: Record<string, never> } };

async function decide(ruleToCheck: ReturnType<typeof hasScope>, viewer: Viewer): Promise<string> {
  const outcome = await ruleToCheck.resolve({}, {}, contextOf(viewer), {} as GraphQLResolveInfo, {} as never);
  return outcome === true ? "allow" : ((outcome as { extensions?: { code?: string } }).extensions?.code ?? "deny");
}

describe("Permission rules other modules build on", () => {
  const tokenViewer = (scopes: string[]): Viewer => ({ kind: "user", userId: "u", roles: [Role.CUSTOMER], levelCode: "RESELLER", via: "api-token", tokenId: "t", scopes });
  const sessionViewer: Viewer = { kind: "user", userId: "u", roles: [Role.CUSTOMER], levelCode: "RESELLER", via: "session", sessionId: "s" };

  it("hasScope limits API tokens to their scopes; sessions are not limited; guests are UNAUTHENTICATED", async () => {
    const rule = hasScope(ApiScope.ORDERS_WRITE);
    expect(await decide(rule, tokenViewer([ApiScope.ORDERS_WRITE]))).to.equal("allow");
    expect(await decide(rule, tokenViewer([ApiScope.ORDERS_READ]))).to.equal("FORBIDDEN");
    expect(await decide(rule, sessionViewer)).to.equal("allow");
    expect(await decide(rule, GUEST)).to.equal("UNAUTHENTICATED");
  });

  it("the same role set or scope is one rule object (graphql-shield refuses two rules with one name)", () => {
    expect(hasRole(Role.ADMIN, Role.SUPPORT)).to.equal(hasRole(Role.SUPPORT, Role.ADMIN));
    expect(hasScope(ApiScope.WALLET_READ)).to.equal(hasScope(ApiScope.WALLET_READ));
  });
});
