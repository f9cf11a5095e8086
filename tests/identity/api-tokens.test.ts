import { expect } from "chai";
import type { RunningStore } from "../../src/boot";
import { sha256 } from "../../src/modules/identity/secrets";
import { errorCode, gql } from "../helpers/graphql";
import { countRequestStatements } from "../helpers/statements";
import { sharedStore } from "../helpers/store";
import { countRows, registerAccount, registerAdmin, registerReseller, userRow, type TestAccount } from "../helpers/identity";

const CREATE = `mutation ($name: String!, $scopes: [ApiScope!]!) {
  createApiToken(name: $name, scopes: $scopes) { token apiToken { id name prefix last4 scopes lastUsedAt revokedAt } }
}`;

describe("Identity: reseller API tokens", () => {
  let store: RunningStore;
  let url: string;
  let admin: TestAccount;
  let reseller: TestAccount;
  before(async () => {
    store = await sharedStore();
    url = store.url!;
    admin = await registerAdmin(store);
    reseller = await registerReseller(store, admin);
  });

  async function createToken(owner: TestAccount, name = "Server H2H", scopes = ["ORDERS_READ", "ORDERS_WRITE"]) {
    const response = await gql(url, CREATE, { name, scopes }, owner.accessToken);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!.createApiToken as { token: string; apiToken: { id: string; prefix: string; last4: string } };
  }

  it("only approved resellers signed in with a password create tokens", async () => {
    const customer = await registerAccount(url, "notreseller");
    expect(errorCode(await gql(url, CREATE, { name: "x", scopes: ["ORDERS_READ"] }, customer.accessToken))).to.equal("FORBIDDEN");
    const { token } = await createToken(reseller);
    // a token cannot mint more tokens
    expect(errorCode(await gql(url, CREATE, { name: "x", scopes: ["ORDERS_READ"] }, token))).to.equal("FORBIDDEN");
  });

  it("returns the token once (lpk_ + 32 random bytes), stores only its SHA-256, lists prefix and last 4", async () => {
    const created = await createToken(reseller, "Kasir", ["CATALOG_READ", "CATALOG_READ", "WALLET_READ"]);
    expect(created.token).to.match(/^lpk_[A-Za-z0-9_-]{43}$/);
    expect(created.apiToken).to.deep.include({ prefix: created.token.slice(0, 8), last4: created.token.slice(-4) });
    expect(await countRows(store, "api_tokens", "token_hash = ?", [sha256(created.token)])).to.equal(1);
    const [raw] = await store.infra.dataSource.query("SELECT * FROM api_tokens WHERE id = ?", [created.apiToken.id]);
    expect(JSON.stringify(raw)).to.not.include(created.token.slice(4));

    const list = await gql(url, "{ myApiTokens { id name scopes prefix last4 lastUsedAt } }", {}, reseller.accessToken);
    const listed = list.data!.myApiTokens.find((t: { id: string }) => t.id === created.apiToken.id);
    expect(listed).to.deep.include({ name: "Kasir", scopes: ["CATALOG_READ", "WALLET_READ"], lastUsedAt: null });
    expect(JSON.stringify(list.data)).to.not.include(created.token);

    const me = await gql(url, "{ me { id customerType } }", {}, created.token);
    expect(me.data!.me).to.deep.equal({ id: reseller.id, customerType: "RESELLER" });
    const after = await gql(url, "{ myApiTokens { id lastUsedAt } }", {}, reseller.accessToken);
    expect(after.data!.myApiTokens.find((t: { id: string }) => t.id === created.apiToken.id).lastUsedAt).to.be.a("string");
  });

  it("bad token input gets BAD_USER_INPUT and creates nothing", async () => {
    const before = await countRows(store, "api_tokens", "user_id = ?", [reseller.id]);
    expect(errorCode(await gql(url, CREATE, { name: "x".repeat(61), scopes: ["ORDERS_READ"] }, reseller.accessToken))).to.equal("BAD_USER_INPUT");
    expect(errorCode(await gql(url, CREATE, { name: "ok", scopes: [] }, reseller.accessToken))).to.equal("BAD_USER_INPUT");
    expect(errorCode(await gql(url, CREATE, { name: "ok", scopes: ["EVERYTHING"] }, reseller.accessToken))).to.equal("BAD_USER_INPUT");
    expect(await countRows(store, "api_tokens", "user_id = ?", [reseller.id])).to.equal(before);
  });

  it("a revoked token is refused at once; another reseller cannot revoke it", async () => {
    const { token, apiToken } = await createToken(reseller);
    const other = await registerReseller(store, admin);
    expect(errorCode(await gql(url, `mutation { revokeApiToken(id: "${apiToken.id}") { id } }`, {}, other.accessToken))).to.equal("NOT_FOUND");
    expect((await gql(url, "{ me { id } }", {}, token)).data!.me.id).to.equal(reseller.id);
    const revoked = await gql(url, `mutation { revokeApiToken(id: "${apiToken.id}") { revokedAt } }`, {}, reseller.accessToken);
    expect(revoked.data!.revokeApiToken.revokedAt).to.be.a("string");
    const refused = await gql(url, "{ me { id } }", {}, token);
    expect(errorCode(refused)).to.equal("UNAUTHENTICATED");
    expect(refused.status).to.equal(401);
  });

  it("a suspended reseller's tokens are refused at once", async () => {
    const owner = await registerReseller(store, admin);
    const { token } = await createToken(owner);
    expect((await gql(url, "{ me { id } }", {}, token)).data!.me.id).to.equal(owner.id);
    await gql(url, `mutation { suspendUser(userId: "${owner.id}") { id } }`, {}, admin.accessToken);
    expect(errorCode(await gql(url, "{ me { id } }", {}, token))).to.equal("UNAUTHENTICATED");
  });

  it("trips the per-token budget exactly at the reseller's override, with retryAfterSeconds, and the refused request changes nothing", async () => {
    const owner = await registerReseller(store, admin);
    await gql(url, `mutation { setUserApiRateLimit(userId: "${owner.id}", perMinute: 3) { id } }`, {}, admin.accessToken);
    const { token } = await createToken(owner);
    for (let i = 0; i < 3; i++) expect((await gql(url, "{ me { id } }", {}, token)).data!.me.id).to.equal(owner.id);
    const refused = await gql(url, `mutation { updateProfile(input: { name: "Tidak Boleh" }) { name } }`, {}, token);
    expect(errorCode(refused)).to.equal("RATE_LIMITED");
    expect(refused.status).to.equal(429);
    expect(refused.errors![0].extensions!.retryAfterSeconds).to.be.within(1, 60);
    expect((await userRow(store, owner.id)).name).to.equal("Test reseller");
    // the budget is per token: a second token of the same reseller has its own
    const second = await createToken(owner);
    expect((await gql(url, "{ me { id } }", {}, second.token)).data!.me.id).to.equal(owner.id);
  });

  it("a token's next request costs no SQL statement (the verified token is cached); a new budget applies on the next request", async () => {
    const owner = await registerReseller(store, admin);
    const { token } = await createToken(owner);
    expect((await gql(url, "{ me { id } }", {}, token)).errors).to.equal(undefined);
    const ping = async () => expect((await gql(url, "{ serverInfo { name } }", {}, token)).errors).to.equal(undefined);
    expect(await countRequestStatements(store.infra.dataSource, ping)).to.equal(0);
    await gql(url, `mutation { setUserApiRateLimit(userId: "${owner.id}", perMinute: 3) { id } }`, {}, admin.accessToken);
    // two requests spent above: the new budget of 3 leaves one
    expect((await gql(url, "{ me { id } }", {}, token)).errors).to.equal(undefined);
    expect(errorCode(await gql(url, "{ me { id } }", {}, token))).to.equal("RATE_LIMITED");
  });

  it("a token revoked by another API process is refused here once the message arrives", async () => {
    const { token, apiToken } = await createToken(reseller, "elsewhere");
    expect((await gql(url, "{ me { id } }", {}, token)).errors).to.equal(undefined);
    // what another process's revokeApiToken does: the row, then the message
    await store.infra.dataSource.query("UPDATE api_tokens SET revoked_at = NOW() WHERE id = ?", [apiToken.id]);
    expect((await gql(url, "{ me { id } }", {}, token)).errors, "still served from the cache before the message").to.equal(undefined);
    store.infra.eventBus.publish("IDENTITY_REVOKED", undefined, { tokenId: apiToken.id });
    const deadline = Date.now() + 2000;
    let refused = false;
    while (!refused && Date.now() < deadline) refused = errorCode(await gql(url, "{ me { id } }", {}, token)) === "UNAUTHENTICATED";
    expect(refused).to.equal(true);
  });

  it("holds the budget under many parallel requests: exactly the budget gets through", async () => {
    const owner = await registerReseller(store, admin);
    await gql(url, `mutation { setUserApiRateLimit(userId: "${owner.id}", perMinute: 5) { id } }`, {}, admin.accessToken);
    const { token } = await createToken(owner);
    const results = await Promise.all(Array.from({ length: 20 }, () => gql(url, "{ me { id } }", {}, token)));
    expect(results.filter((r) => !r.errors)).to.have.length(5);
    expect(results.filter((r) => errorCode(r) === "RATE_LIMITED")).to.have.length(15);
  });
});
