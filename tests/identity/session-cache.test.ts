import { expect } from "chai";
import type { RunningStore } from "../../src/boot";
import type { UserViewer } from "../../src/core/context";
import { ViewerCache } from "../../src/modules/identity/viewer-cache";
import { errorCode, gql } from "../helpers/graphql";
import { registerAccount, registerAdmin, type TestAccount } from "../helpers/identity";
import { countRequestStatements } from "../helpers/statements";
import { sharedStore } from "../helpers/store";

const PING = "{ serverInfo { name } }";
const sessionIdOf = (accessToken: string): string => JSON.parse(Buffer.from(accessToken.split(".")[1], "base64url").toString()).sid;

describe("Signed-in requests reuse the verified session (viewer cache)", () => {
  let store: RunningStore;
  let url: string;
  let admin: TestAccount;
  before(async () => {
    store = await sharedStore();
    url = store.url!;
    admin = await registerAdmin(store);
  });

  const ping = (account: TestAccount) => gql(url, PING, {}, account.accessToken);

  it("a member's next request costs no SQL statement for signing in", async () => {
    const member = await registerAccount(url, "cached");
    expect((await ping(member)).errors).to.equal(undefined);
    expect(await countRequestStatements(store.infra.dataSource, async () => expect((await ping(member)).errors).to.equal(undefined))).to.equal(0);
  });

  it("logout refuses the access token on the very next request", async () => {
    const member = await registerAccount(url, "logout");
    expect((await ping(member)).errors).to.equal(undefined);
    expect((await gql(url, "mutation { logout }", {}, member.accessToken)).data!.logout).to.equal(true);
    const after = await ping(member);
    expect([after.status, errorCode(after)]).to.deep.equal([401, "UNAUTHENTICATED"]);
  });

  it("suspension refuses the user on the very next request", async () => {
    const member = await registerAccount(url, "suspended");
    expect((await ping(member)).errors).to.equal(undefined);
    expect((await gql(url, `mutation { suspendUser(userId: "${member.id}") { id } }`, {}, admin.accessToken)).errors).to.equal(undefined);
    expect(errorCode(await ping(member))).to.equal("UNAUTHENTICATED");
  });

  it("a role an admin grants or takes away applies on the very next request", async () => {
    const [staff, other] = await Promise.all([registerAccount(url, "staff"), registerAccount(url, "other")]);
    const look = () => gql(url, `{ user(id: "${other.id}") { id } }`, {}, staff.accessToken);
    expect(errorCode(await look())).to.equal("FORBIDDEN");
    await gql(url, `mutation { setUserRoles(userId: "${staff.id}", roles: [CUSTOMER, SUPPORT]) { id } }`, {}, admin.accessToken);
    expect((await look()).data!.user).to.deep.equal({ id: other.id });
    await gql(url, `mutation { setUserRoles(userId: "${staff.id}", roles: [CUSTOMER]) { id } }`, {}, admin.accessToken);
    expect(errorCode(await look())).to.equal("FORBIDDEN");
  });

  it("a revocation published by another API process drops the cached session here", async () => {
    const member = await registerAccount(url, "elsewhere");
    const sessionId = sessionIdOf(member.accessToken);
    expect((await ping(member)).errors).to.equal(undefined);
    // what another process's logout does: the row, then the message (this process did not drop it itself)
    await store.infra.dataSource.query("UPDATE sessions SET revoked_at = NOW(), revoked_reason = 'logout' WHERE id = ?", [sessionId]);
    expect((await ping(member)).errors, "still served from the cache before the message").to.equal(undefined);
    store.infra.eventBus.publish("IDENTITY_REVOKED", undefined, { sessionId });
    const deadline = Date.now() + 2000;
    let refused = false;
    while (!refused && Date.now() < deadline) refused = errorCode(await ping(member)) === "UNAUTHENTICATED";
    expect(refused).to.equal(true);
  });

  it("a lookup that raced a revocation is not cached", () => {
    const cache = new ViewerCache(10_000);
    cache.attach();
    const viewer: UserViewer = { kind: "user", userId: "u1", roles: [], levelCode: "RETAIL", via: "session", sessionId: "s1" };
    const stamp = cache.stamp();
    cache.drop({ sessionId: "s1" }); // revoked while the database was being read
    cache.put("s1", { viewer }, stamp);
    expect(cache.get("s1")).to.equal(undefined);
    cache.put("s1", { viewer }, cache.stamp());
    expect(cache.get("s1")?.viewer).to.equal(viewer);
    cache.drop({ userId: "u1" });
    expect(cache.get("s1")).to.equal(undefined);
  });
});
