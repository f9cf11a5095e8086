import { expect } from "chai";
import type { RunningStore } from "../../src/boot";
import { errorCode, gql } from "../helpers/graphql";
import { sharedStore } from "../helpers/store";
import { countRows, login, registerAccount, uniqueEmail, type TestAccount } from "../helpers/identity";

const REQUEST = "mutation ($e: String!) { requestPasswordReset(email: $e) }";
const RESET = "mutation ($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }";

describe("Identity: password reset and change", function () {
  this.timeout(30_000);
  let store: RunningStore;
  let url: string;
  before(async () => {
    store = await sharedStore();
    url = store.url!;
  });

  async function requestReset(account: TestAccount): Promise<{ token: string; outboxId: string }> {
    expect((await gql(url, REQUEST, { e: account.email.toUpperCase() })).data!.requestPasswordReset).to.equal(true);
    const [row] = await store.infra.dataSource.query(
      "SELECT id, channel, template, payload FROM notification_outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1",
      [account.email],
    );
    expect(row).to.deep.include({ channel: "EMAIL", template: "password-reset" });
    const payload = typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload;
    const token = new URL(payload.resetUrl).searchParams.get("token")!;
    return { token, outboxId: row.id };
  }

  it("sends a single-use link through the outbox (the worker delivers it), stores only the hash, ends every session", async () => {
    const account = await registerAccount(url, "reset");
    const { token, outboxId } = await requestReset(account);
    expect(await countRows(store, "password_resets", "token_hash = ?", [token])).to.equal(0);

    const deadline = Date.now() + 15_000;
    let status = "PENDING";
    while (status === "PENDING" && Date.now() < deadline) {
      [{ status }] = await store.infra.dataSource.query("SELECT status FROM notification_outbox WHERE id = ?", [outboxId]);
      if (status === "PENDING") await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).to.equal("SENT");

    expect((await gql(url, RESET, { t: token, p: "kata-sandi-baru" })).data!.resetPassword).to.equal(true);
    expect(errorCode(await gql(url, "{ me { id } }", {}, account.accessToken))).to.equal("UNAUTHENTICATED");
    expect(errorCode(await gql(url, RESET, { t: token, p: "kata-sandi-lain" }))).to.equal("BAD_USER_INPUT");
    await login(url, account.email, "kata-sandi-baru");
  });

  it("refuses expired and malformed tokens and short passwords, changing nothing", async () => {
    const account = await registerAccount(url, "expired");
    const { token } = await requestReset(account);
    expect(errorCode(await gql(url, RESET, { t: token, p: "short" }))).to.equal("BAD_USER_INPUT");
    expect(errorCode(await gql(url, RESET, { t: "abc", p: "kata-sandi-baru" }))).to.equal("BAD_USER_INPUT");
    await store.infra.dataSource.query("UPDATE password_resets SET expires_at = NOW() - INTERVAL 1 SECOND WHERE user_id = ?", [account.id]);
    expect(errorCode(await gql(url, RESET, { t: token, p: "kata-sandi-baru" }))).to.equal("BAD_USER_INPUT");
    await login(url, account.email); // old password still works
  });

  it("answers an unknown email the same way and sends nothing; a bad email is BAD_USER_INPUT", async () => {
    const ghost = uniqueEmail("ghost");
    expect((await gql(url, REQUEST, { e: ghost })).data!.requestPasswordReset).to.equal(true);
    expect(await countRows(store, "notification_outbox", "recipient = ?", [ghost])).to.equal(0);
    expect(errorCode(await gql(url, REQUEST, { e: "nope" }))).to.equal("BAD_USER_INPUT");
  });

  it("changePassword needs the current password and ends the other sessions, keeping this one", async () => {
    const account = await registerAccount(url, "change");
    const other = await login(url, account.email);
    const wrong = await gql(url, `mutation { changePassword(currentPassword: "salah-salah", newPassword: "baru-baru-1") }`, {}, account.accessToken);
    expect(errorCode(wrong)).to.equal("BAD_USER_INPUT");
    const ok = await gql(url, `mutation { changePassword(currentPassword: "rahasia-123", newPassword: "baru-baru-1") }`, {}, account.accessToken);
    expect(ok.data!.changePassword).to.equal(true);
    expect((await gql(url, "{ me { id } }", {}, account.accessToken)).data!.me.id).to.equal(account.id);
    expect(errorCode(await gql(url, "{ me { id } }", {}, other.accessToken))).to.equal("UNAUTHENTICATED");
    await login(url, account.email, "baru-baru-1");
  });
});
