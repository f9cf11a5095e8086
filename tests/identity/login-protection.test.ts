import { expect } from "chai";
import type { RunningStore } from "../../src/boot";
import { sharedStore } from "../helpers/store";
import { PASSWORD, registerAccount, uniqueEmail } from "../helpers/identity";

/** A fresh client address per test run (the store trusts X-Forwarded-For from loopback). */
const randomIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join(".")}`;

async function loginFrom(url: string, ip: string, email: string, password: string) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify({ query: "mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }", variables: { e: email, p: password } }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions: Record<string, any> }[] };
  return { ok: !body.errors, code: body.errors?.[0]?.extensions.code as string | undefined, error: body.errors?.[0] };
}

describe("Identity: failed sign-ins are slowed, then refused (defaults: 8 per email, 40 per IP)", function () {
  this.timeout(60_000);
  let store: RunningStore;
  before(async () => {
    store = await sharedStore();
  });

  it("locks an email after 8 failures, even with the right password, and says the same for an unknown email", async () => {
    const account = await registerAccount(store.url!, "locked");
    const ip = randomIp();
    const waited: number[] = [];
    for (let i = 0; i < 8; i++) {
      const started = Date.now();
      expect((await loginFrom(store.url!, ip, account.email, "salah-salah")).code).to.equal("UNAUTHENTICATED");
      waited.push(Date.now() - started);
    }
    // from the 4th attempt on, each waits LOGIN_SLOW_DELAY_MS (500) before the password is checked
    expect(Math.min(...waited.slice(3))).to.be.at.least(480);
    const refused = await loginFrom(store.url!, randomIp(), account.email, PASSWORD);
    expect(refused.code).to.equal("RATE_LIMITED");
    expect(refused.error!.extensions.retryAfterSeconds).to.be.within(1, 900);

    const ghost = uniqueEmail("ghost");
    for (let i = 0; i < 8; i++) expect((await loginFrom(store.url!, ip, ghost, "salah-salah")).code).to.equal("UNAUTHENTICATED");
    const ghostRefused = await loginFrom(store.url!, randomIp(), ghost, "salah-salah");
    expect(ghostRefused.code).to.equal("RATE_LIMITED");
    expect(ghostRefused.error!.message).to.equal(refused.error!.message);
  });

  it("a successful sign-in clears the email's count", async () => {
    const account = await registerAccount(store.url!, "clears");
    const ip = randomIp();
    for (let i = 0; i < 7; i++) await loginFrom(store.url!, ip, account.email, "salah-salah");
    expect((await loginFrom(store.url!, ip, account.email, PASSWORD)).ok).to.equal(true);
    for (let i = 0; i < 7; i++) await loginFrom(store.url!, ip, account.email, "salah-salah");
    expect((await loginFrom(store.url!, ip, account.email, PASSWORD)).ok).to.equal(true);
  });

  it("refuses every sign-in from an IP after 40 failures there; other IPs still sign in", async () => {
    const account = await registerAccount(store.url!, "ipvictim");
    const ip = randomIp();
    for (let i = 0; i < 40; i++) await loginFrom(store.url!, ip, uniqueEmail("spray"), "salah-salah");
    expect((await loginFrom(store.url!, ip, account.email, PASSWORD)).code).to.equal("RATE_LIMITED");
    expect((await loginFrom(store.url!, randomIp(), account.email, PASSWORD)).ok).to.equal(true);
  });
});
