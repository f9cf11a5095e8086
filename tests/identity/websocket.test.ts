import { expect } from "chai";
import jwt from "jsonwebtoken";
import type { Client } from "graphql-ws";
import type { RunningStore } from "../../src/boot";
import { TEST_REDIS_PREFIX } from "../helpers/env";
import { gql, wsClient } from "../helpers/graphql";
import { sharedStore } from "../helpers/store";
import { registerAccount, registerAdmin, registerReseller, subscribeTo, waitForSubscriber, within, type TestAccount } from "../helpers/identity";

const EVENTS = "subscription { accountEvents { userId change at } }";
const channel = (userId: string) => `${TEST_REDIS_PREFIX}:ACCOUNT_UPDATED:${userId}`;

describe("Identity over WebSocket: connection_init credentials, revocation closes live subscriptions", function () {
  this.timeout(20_000);
  let store: RunningStore;
  let url: string;
  let admin: TestAccount;
  const clients: Client[] = [];
  const client = (authorization?: string) => {
    const made = wsClient(url, authorization);
    clients.push(made);
    return made;
  };
  before(async () => {
    store = await sharedStore();
    url = store.url!;
    admin = await registerAdmin(store);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  });

  it("a signed-in user hears staff changes to their own account", async () => {
    const user = await registerAccount(url, "wsuser");
    const live = subscribeTo(client(user.accessToken), EVENTS);
    await waitForSubscriber(store, channel(user.id));
    await gql(url, `mutation { setUserLevel(userId: "${user.id}", levelCode: "MEMBER") { id } }`, {}, admin.accessToken);
    const deadline = Date.now() + 5000;
    while (live.events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(live.events).to.have.length(1);
    expect((live.events[0] as any).data.accountEvents).to.deep.include({ userId: user.id, change: "user.level.set" });
  });

  it("a guest cannot subscribe (UNAUTHENTICATED at subscribe time, then the operation completes)", async () => {
    const live = subscribeTo(client(), EVENTS);
    expect(await within(live.ended, 5000)).to.deep.equal({ complete: true });
    expect(live.events).to.have.length(1);
    const result = live.events[0] as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(result.errors[0].extensions.code).to.equal("UNAUTHENTICATED");
    expect(result.data ?? null).to.equal(null);
  });

  it("a bad or revoked credential in connection_init is refused with 4403", async () => {
    const outcome = await within(subscribeTo(client("not-a-jwt"), EVENTS).ended, 5000);
    expect((outcome as { error: { code: number } }).error.code).to.equal(4403);
  });

  it("suspending a user closes their live subscription at once (4403) and refuses reconnection", async () => {
    const user = await registerAccount(url, "wssuspend");
    const live = subscribeTo(client(user.accessToken), EVENTS);
    await waitForSubscriber(store, channel(user.id));
    expect(await within(live.ended, 200)).to.equal("still open");
    await gql(url, `mutation { suspendUser(userId: "${user.id}") { id } }`, {}, admin.accessToken);
    const outcome = await within(live.ended, 5000);
    expect((outcome as { error: { code: number } }).error.code).to.equal(4403);
    const again = await within(subscribeTo(client(user.accessToken), EVENTS).ended, 5000);
    expect((again as { error: { code: number } }).error.code).to.equal(4403);
  });

  it("revoking an API token closes subscriptions opened with it; logout closes the session's", async () => {
    const reseller = await registerReseller(store, admin);
    const created = await gql(url, `mutation { createApiToken(name: "ws", scopes: [ORDERS_READ]) { token apiToken { id } } }`, {}, reseller.accessToken);
    const { token, apiToken } = created.data!.createApiToken;
    const viaToken = subscribeTo(client(token), EVENTS);
    const viaSession = subscribeTo(client(reseller.accessToken), EVENTS);
    await waitForSubscriber(store, channel(reseller.id));
    await gql(url, `mutation { revokeApiToken(id: "${apiToken.id}") { id } }`, {}, reseller.accessToken);
    expect(((await within(viaToken.ended, 5000)) as { error: { code: number } }).error.code).to.equal(4403);
    expect(await within(viaSession.ended, 300)).to.equal("still open");
    const refused = await within(subscribeTo(client(token), EVENTS).ended, 5000);
    expect((refused as { error: { code: number } }).error.code).to.equal(4403);

    await gql(url, "mutation { logout }", {}, reseller.accessToken);
    expect(((await within(viaSession.ended, 5000)) as { error: { code: number } }).error.code).to.equal(4403);
  });

  it("closes a live subscription when the access token it was opened with expires", async () => {
    const user = await registerAccount(url, "wsexpiry");
    const [session] = await store.infra.dataSource.query("SELECT id FROM sessions WHERE user_id = ?", [user.id]);
    const shortLived = jwt.sign({ sid: session.id }, store.infra.config.jwtSecret, { algorithm: "HS256", subject: user.id, expiresIn: 2 });
    const live = subscribeTo(client(shortLived), EVENTS);
    await waitForSubscriber(store, channel(user.id));
    expect(await within(live.ended, 500)).to.equal("still open");
    expect(((await within(live.ended, 5000)) as { error: { code: number } }).error.code).to.equal(4403);
  });
});
