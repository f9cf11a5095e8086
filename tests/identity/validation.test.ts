import { expect } from "chai";
import type { RunningStore } from "../../src/boot";
import { errorCode, gql } from "../helpers/graphql";
import { sharedStore } from "../helpers/store";
import { countRows, PASSWORD, registerAccount, registerAdmin, uniqueEmail, userRow, type TestAccount } from "../helpers/identity";
import { normalizeWhatsapp } from "../../src/modules/identity/identity.validation";

const REGISTER = "mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }";

describe("Identity: bad input gets BAD_USER_INPUT and writes nothing", () => {
  let store: RunningStore;
  let url: string;
  let admin: TestAccount;
  before(async () => {
    store = await sharedStore();
    url = store.url!;
    admin = await registerAdmin(store);
  });

  const cases: [string, Record<string, unknown>][] = [
    ["bad email", { email: "budi-at-example" }],
    ["short password", { password: "1234567" }],
    ["password past bcrypt's 72 bytes", { password: "x".repeat(73) }],
    ["empty name", { name: "   " }],
    ["oversized name", { name: "n".repeat(121) }],
    ["oversized email", { email: `${"e".repeat(190)}@example.test` }],
    ["bad WhatsApp", { whatsapp: "12345" }],
  ];
  for (const [what, override] of cases) {
    it(`register with ${what}`, async () => {
      const before = await countRows(store, "users");
      const sessionsBefore = await countRows(store, "sessions");
      const response = await gql(url, REGISTER, { input: { name: "Budi", email: uniqueEmail("bad"), password: PASSWORD, ...override } });
      expect(errorCode(response)).to.equal("BAD_USER_INPUT");
      expect(await countRows(store, "users")).to.equal(before);
      expect(await countRows(store, "sessions")).to.equal(sessionsBefore);
    });
  }

  it("normalises Indonesian numbers to 62…", () => {
    for (const raw of ["081234567890", "+62 812-3456-7890", "6281234567890", "(0812) 3456.7890"]) {
      expect(normalizeWhatsapp(raw)).to.equal("6281234567890");
    }
    for (const raw of ["0212345678", "+1 812 3456 7890", "08", "62812345678901234"]) {
      expect(() => normalizeWhatsapp(raw), raw).to.throw();
    }
  });

  it("updateProfile with an oversized name or bad number changes nothing", async () => {
    const account = await registerAccount(url, "profile", { whatsapp: "081111111111" });
    for (const input of [{ name: "x".repeat(500) }, { whatsapp: "not-a-number" }, { name: "Ok", whatsapp: "999" }]) {
      const response = await gql(url, "mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }", { input }, account.accessToken);
      expect(errorCode(response)).to.equal("BAD_USER_INPUT");
    }
    const row = await userRow(store, account.id);
    expect(row.name).to.equal("Test profile");
    expect(row.whatsapp).to.equal("6281111111111");
    const ok = await gql(url, "mutation { updateProfile(input: { name: \"Budi Baru\", whatsapp: \"\" }) { name whatsapp } }", {}, account.accessToken);
    expect(ok.data!.updateProfile).to.deep.equal({ name: "Budi Baru", whatsapp: null });
  });

  it("setUserLevel with an unknown level changes nothing and writes no audit row", async () => {
    const account = await registerAccount(url, "level");
    const audits = await countRows(store, "activity_log", "target_id = ?", [account.id]);
    for (const levelCode of ["PLATINUM", "x".repeat(300)]) {
      const response = await gql(url, `mutation ($id: ID!, $l: String!) { setUserLevel(userId: $id, levelCode: $l) { id } }`, { id: account.id, l: levelCode }, admin.accessToken);
      expect(errorCode(response)).to.equal("BAD_USER_INPUT");
    }
    expect((await userRow(store, account.id)).level!.code).to.equal("RETAIL");
    expect(await countRows(store, "activity_log", "target_id = ?", [account.id])).to.equal(audits);
  });

  it("paging and search bounds are checked", async () => {
    for (const args of ["limit: 0", "limit: 1000", "offset: -1", `search: "${"s".repeat(101)}"`]) {
      const response = await gql(url, `{ users(${args}) { total } }`, {}, admin.accessToken);
      expect(errorCode(response), args).to.equal("BAD_USER_INPUT");
    }
  });

  it("register cannot carry roles or a level (unknown input fields are rejected)", async () => {
    const before = await countRows(store, "users");
    const response = await gql(url, REGISTER, { input: { name: "Sneaky", email: uniqueEmail("sneaky"), password: PASSWORD, roles: ["ADMIN"] } });
    expect(response.errors).to.not.equal(undefined);
    expect(await countRows(store, "users")).to.equal(before);
  });
});
