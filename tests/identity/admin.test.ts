import { expect } from "chai";
import type { RunningStore } from "../../src/boot";
import { errorCode, gql } from "../helpers/graphql";
import { sharedStore } from "../helpers/store";
import { login, registerAccount, registerAdmin, uniqueEmail, userRow, type TestAccount } from "../helpers/identity";

const LOG = `query ($targetId: String, $actorId: ID, $from: DateTimeISO, $to: DateTimeISO, $offset: Int, $limit: Int) {
  activityLog(targetType: "user", targetId: $targetId, actorId: $actorId, from: $from, to: $to, offset: $offset, limit: $limit) {
    total items { actorId action targetType targetId before after ip requestId createdAt }
  }
}`;

describe("Identity: admin work on accounts, audited", () => {
  let store: RunningStore;
  let url: string;
  let admin: TestAccount;
  before(async () => {
    store = await sharedStore();
    url = store.url!;
    admin = await registerAdmin(store);
  });

  const call = (query: string, variables: Record<string, unknown> = {}) => gql(url, query, variables, admin.accessToken);

  it("sets roles, level, approves a reseller, suspends and reactivates: each leaves an audit row with before/after", async () => {
    const user = await registerAccount(url, "audited");
    const started = new Date(Date.now() - 1000).toISOString();

    const roles = await call(`mutation { setUserRoles(userId: "${user.id}", roles: [CS_VERIFIER, CUSTOMER, CS_VERIFIER]) { roles } }`);
    expect(roles.data!.setUserRoles.roles).to.deep.equal(["CS_VERIFIER", "CUSTOMER"]);
    const level = await call(`mutation { setUserLevel(userId: "${user.id}", levelCode: "vip") { level { code } } }`);
    expect(level.data!.setUserLevel.level.code).to.equal("VIP");
    const reseller = await call(`mutation { approveReseller(userId: "${user.id}") { customerType level { code } } }`);
    expect(reseller.data!.approveReseller).to.deep.equal({ customerType: "RESELLER", level: { code: "RESELLER" } });
    const limit = await call(`mutation { setUserApiRateLimit(userId: "${user.id}", perMinute: 30) { apiRateLimitPerMinute } }`);
    expect(limit.data!.setUserApiRateLimit.apiRateLimitPerMinute).to.equal(30);
    expect((await call(`mutation { suspendUser(userId: "${user.id}") { status } }`)).data!.suspendUser.status).to.equal("SUSPENDED");
    expect((await call(`mutation { reactivateUser(userId: "${user.id}") { status } }`)).data!.reactivateUser.status).to.equal("ACTIVE");

    const row = await userRow(store, user.id);
    expect(row.customerType).to.equal("RESELLER");
    expect(row.level!.code).to.equal("RESELLER");

    const log = await call(LOG, { targetId: user.id, from: started, limit: 10 });
    expect(log.errors).to.equal(undefined);
    const items = [...log.data!.activityLog.items].reverse();
    expect(items.map((i: { action: string }) => i.action)).to.deep.equal([
      "user.roles.set",
      "user.level.set",
      "user.reseller.approve",
      "user.api-rate-limit.set",
      "user.suspend",
      "user.reactivate",
    ]);
    expect(items[0]).to.deep.include({ actorId: admin.id, targetType: "user", targetId: user.id });
    expect(items[0].before).to.deep.equal({ roles: ["CUSTOMER"] });
    expect(items[0].after).to.deep.equal({ roles: ["CS_VERIFIER", "CUSTOMER"] });
    expect(items[1]).to.deep.include({ before: { level: "RETAIL" }, after: { level: "VIP" } });
    expect(items[2]).to.deep.include({ before: { customerType: "RETAIL", level: "VIP" }, after: { customerType: "RESELLER", level: "RESELLER" } });
    expect(items[3]).to.deep.include({ before: { apiRateLimitPerMinute: null }, after: { apiRateLimitPerMinute: 30 } });
    expect(items[4]).to.deep.include({ before: { status: "ACTIVE" }, after: { status: "SUSPENDED" } });
    expect(items[5]).to.deep.include({ before: { status: "SUSPENDED" }, after: { status: "ACTIVE" } });
    expect(items[0].requestId).to.be.a("string");
    expect(items[0].ip).to.be.a("string");
  });

  it("queries the audit log by actor and time range, with paging", async () => {
    const otherAdmin = await registerAdmin(store);
    const target = await registerAccount(url, "paged");
    for (const code of ["MEMBER", "VIP", "MEMBER"]) {
      await gql(url, `mutation { setUserLevel(userId: "${target.id}", levelCode: "${code}") { id } }`, {}, otherAdmin.accessToken);
    }
    const byActor = await call(LOG, { actorId: otherAdmin.id, limit: 2 });
    expect(byActor.data!.activityLog.total).to.equal(3);
    expect(byActor.data!.activityLog.items).to.have.length(2);
    const page2 = await call(LOG, { actorId: otherAdmin.id, limit: 2, offset: 2 });
    expect(page2.data!.activityLog.items).to.have.length(1);
    const future = await call(LOG, { actorId: otherAdmin.id, from: new Date(Date.now() + 60_000).toISOString() });
    expect(future.data!.activityLog.total).to.equal(0);
    const past = await call(LOG, { actorId: otherAdmin.id, to: new Date(Date.now() - 3_600_000).toISOString() });
    expect(past.data!.activityLog.total).to.equal(0);
  });

  it("lists and searches users with paging", async () => {
    const tag = `cari${Date.now()}`;
    const made: TestAccount[] = [];
    for (let i = 0; i < 3; i++) made.push(await registerAccount(url, tag));
    const first = await call(`{ users(search: "${tag}", limit: 2) { total items { id email } } }`);
    expect(first.data!.users.total).to.equal(3);
    expect(first.data!.users.items).to.have.length(2);
    const second = await call(`{ users(search: "${tag}", limit: 2, offset: 2) { items { id } } }`);
    const seen = [...first.data!.users.items, ...second.data!.users.items].map((u: { id: string }) => u.id).sort();
    expect(seen).to.deep.equal(made.map((a) => a.id).sort());
    // LIKE wildcards in the search are literal
    expect((await call(`{ users(search: "%") { total } }`)).data!.users.total).to.equal(0);
    const suspended = await call(`{ users(search: "${tag}", status: SUSPENDED) { total } }`);
    expect(suspended.data!.users.total).to.equal(0);
  });

  it("a suspended user's sessions stop at once; after reactivation they can sign in again", async () => {
    const user = await registerAccount(url, "suspend");
    expect((await gql(url, "{ me { id } }", {}, user.accessToken)).data!.me.id).to.equal(user.id);
    await call(`mutation { suspendUser(userId: "${user.id}") { id } }`);
    expect(errorCode(await gql(url, "{ me { id } }", {}, user.accessToken))).to.equal("UNAUTHENTICATED");
    expect(errorCode(await gql(url, `mutation { refreshSession(refreshToken: "${user.refreshToken}") { accessToken } }`))).to.equal("UNAUTHENTICATED");
    const attempt = await gql(url, `mutation { login(email: "${user.email}", password: "rahasia-123") { accessToken } }`);
    expect(errorCode(attempt)).to.equal("UNAUTHENTICATED");
    await call(`mutation { reactivateUser(userId: "${user.id}") { id } }`);
    // old sessions stay ended; a new sign-in works
    expect(errorCode(await gql(url, "{ me { id } }", {}, user.accessToken))).to.equal("UNAUTHENTICATED");
    const again = await login(url, user.email);
    expect((await gql(url, "{ me { id } }", {}, again.accessToken)).data!.me.id).to.equal(user.id);
  });

  it("unknown users are NOT_FOUND", async () => {
    expect(errorCode(await call(`mutation { suspendUser(userId: "01HZZZZZZZZZZZZZZZZZZZZZZZ") { id } }`))).to.equal("NOT_FOUND");
    expect(errorCode(await call(`{ user(id: "${uniqueEmail()}") { id } }`))).to.equal("NOT_FOUND");
  });
});
