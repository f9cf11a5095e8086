import { expect } from "chai";
import type { RunningStore } from "../../src/boot";
import { sha256 } from "../../src/modules/identity/secrets";
import { errorCode, gql } from "../helpers/graphql";
import { sharedStore } from "../helpers/store";
import { AUTH_FIELDS, countRows, login, PASSWORD, registerAccount, uniqueEmail } from "../helpers/identity";

const ME = "{ me { id email roles level { code } customerType status } }";
const REFRESH = `mutation ($t: String!) { refreshSession(refreshToken: $t) { ${AUTH_FIELDS} } }`;

describe("Identity: sign-up, sign-in, refresh and sign-out", () => {
  let store: RunningStore;
  let url: string;
  before(async () => {
    store = await sharedStore();
    url = store.url!;
  });

  it("registers a RETAIL customer with role CUSTOMER, stores a bcrypt hash and normalises email and WhatsApp", async () => {
    const email = uniqueEmail("Budi").replace("budi", "BuDi");
    const response = await gql(url, `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`, {
      input: { name: "  Budi  ", email: `  ${email} `, password: PASSWORD, whatsapp: "0812-3456-7890" },
    });
    expect(response.errors).to.equal(undefined);
    const account = response.data!.register.account;
    expect(account).to.deep.include({ email: email.toLowerCase(), roles: ["CUSTOMER"], customerType: "RETAIL", level: { code: "RETAIL" } });
    const [row] = await store.infra.dataSource.query("SELECT name, email, whatsapp, password_hash FROM users WHERE id = ?", [account.id]);
    expect(row.name).to.equal("Budi");
    expect(row.whatsapp).to.equal("6281234567890");
    expect(row.password_hash).to.match(/^\$2[aby]\$04\$/);

    const me = await gql(url, ME, {}, response.data!.register.accessToken);
    expect(me.data!.me).to.deep.include({ id: account.id, status: "ACTIVE" });
  });

  it("refuses a second account for the same email in any letter case (CONFLICT)", async () => {
    const first = await registerAccount(url, "dup");
    const again = await gql(url, `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`, {
      input: { name: "Dup", email: first.email.toUpperCase(), password: PASSWORD },
    });
    expect(errorCode(again)).to.equal("CONFLICT");
  });

  it("many parallel registrations of one email create exactly one account", async () => {
    const email = uniqueEmail("parallel");
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        gql(url, `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`, {
          input: { name: "Par", email: i % 2 ? email.toUpperCase() : email, password: PASSWORD },
        }),
      ),
    );
    expect(results.filter((r) => !r.errors)).to.have.length(1);
    expect(results.filter((r) => errorCode(r) === "CONFLICT")).to.have.length(5);
    expect(await countRows(store, "users", "email = ?", [email])).to.equal(1);
  });

  it("signs in, refreshes (the old refresh token is spent) and signs out", async () => {
    const account = await registerAccount(url, "cycle");
    const session = await login(url, account.email);
    const refreshed = await gql(url, REFRESH, { t: session.refreshToken });
    expect(refreshed.errors).to.equal(undefined);
    const next = refreshed.data!.refreshSession;
    expect(next.refreshToken).to.not.equal(session.refreshToken);
    expect((await gql(url, ME, {}, next.accessToken)).data!.me.id).to.equal(account.id);
    // only hashes are stored
    expect(await countRows(store, "refresh_tokens", "token_hash = ?", [sha256(next.refreshToken)])).to.equal(1);
    expect(await countRows(store, "refresh_tokens", "token_hash = ?", [next.refreshToken])).to.equal(0);

    const out = await gql(url, "mutation { logout }", {}, next.accessToken);
    expect(out.data!.logout).to.equal(true);
    const afterLogout = await gql(url, ME, {}, next.accessToken);
    expect(errorCode(afterLogout)).to.equal("UNAUTHENTICATED");
    expect(afterLogout.status).to.equal(401);
    expect(errorCode(await gql(url, REFRESH, { t: next.refreshToken }))).to.equal("UNAUTHENTICATED");
    // the first sign-up session is untouched
    expect((await gql(url, ME, {}, account.accessToken)).data!.me.id).to.equal(account.id);
  });

  it("reusing an already-rotated refresh token revokes the whole family", async () => {
    const account = await registerAccount(url, "reuse");
    const first = await gql(url, REFRESH, { t: account.refreshToken });
    const current = first.data!.refreshSession;
    // the thief replays the old token
    const replay = await gql(url, REFRESH, { t: account.refreshToken });
    expect(errorCode(replay)).to.equal("UNAUTHENTICATED");
    // the legitimate holder's newer tokens are dead too
    expect(errorCode(await gql(url, ME, {}, current.accessToken))).to.equal("UNAUTHENTICATED");
    expect(errorCode(await gql(url, REFRESH, { t: current.refreshToken }))).to.equal("UNAUTHENTICATED");
    const [session] = await store.infra.dataSource.query("SELECT revoked_reason FROM sessions WHERE user_id = ?", [account.id]);
    expect(session.revoked_reason).to.equal("refresh-reuse");
  });

  it("lets only one of many parallel refreshes with the same token win, and then ends the family", async () => {
    const account = await registerAccount(url, "race");
    const results = await Promise.all(Array.from({ length: 8 }, () => gql(url, REFRESH, { t: account.refreshToken })));
    expect(results.filter((r) => !r.errors)).to.have.length(1);
    expect(results.filter((r) => errorCode(r) === "UNAUTHENTICATED")).to.have.length(7);
    expect(await countRows(store, "sessions", "user_id = ? AND revoked_at IS NULL", [account.id])).to.equal(0);
  });

  it("answers a malformed refresh token with BAD_USER_INPUT, an unknown one with UNAUTHENTICATED", async () => {
    expect(errorCode(await gql(url, REFRESH, { t: "not a token" }))).to.equal("BAD_USER_INPUT");
    expect(errorCode(await gql(url, REFRESH, { t: "A".repeat(43) }))).to.equal("UNAUTHENTICATED");
  });

  it("refuses tampered, foreign-signed and malformed access tokens with UNAUTHENTICATED (HTTP 401)", async () => {
    const account = await registerAccount(url, "jwt");
    const [head, body] = account.accessToken.split(".");
    const noneAlg = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${body}.`;
    for (const token of [`${head}.${body}.AAAA`, noneAlg, "garbage", "lpk_short"]) {
      const response = await gql(url, ME, {}, token);
      expect(errorCode(response), token).to.equal("UNAUTHENTICATED");
      expect(response.status).to.equal(401);
    }
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const account = await registerAccount(url, "wrongpw");
    const wrong = await gql(url, `mutation { login(email: "${account.email}", password: "salah-sekali") { accessToken } }`);
    const unknown = await gql(url, `mutation { login(email: "${uniqueEmail("ghost")}", password: "salah-sekali") { accessToken } }`);
    expect(errorCode(wrong)).to.equal("UNAUTHENTICATED");
    expect(wrong.errors![0].message).to.equal(unknown.errors![0].message);
    expect(errorCode(unknown)).to.equal("UNAUTHENTICATED");
  });
});
