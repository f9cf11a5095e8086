import { expect } from "chai";
import { buildSchema, execute, isObjectType, parse } from "graphql";
import { allow, deny } from "graphql-shield";
import { createPubSub } from "@graphql-yoga/subscription";
import type { RunningStore } from "../../src/boot";
import { allPermissions } from "../../src/composition-root";
import { buildAppSchema } from "../../src/schema";
import { applyPermissions, ruleFor } from "../../src/core/permissions";
import { errorCode, gql } from "../helpers/graphql";
import { sharedStore } from "../helpers/store";
import { grantRoles, registerAccount, registerAdmin, type TestAccount } from "../helpers/identity";
import { Role } from "../../src/modules/identity/role";

const ROOTS = ["Query", "Mutation", "Subscription"];

describe("Permissions: deny by default, a rule for everything", () => {
  it("every Query/Mutation/Subscription field has its own rule, and every object type is covered", async () => {
    const schema = await buildAppSchema({ pubSub: createPubSub() });
    const permissions = allPermissions() as Record<string, unknown>;
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      const rules = permissions[type.name];
      const fieldRules = rules && typeof rules === "object" && rules.constructor === Object ? (rules as Record<string, unknown>) : undefined;
      if (ROOTS.includes(type.name)) {
        for (const field of Object.keys(type.getFields())) if (!fieldRules?.[field]) missing.push(`${type.name}.${field}`);
      } else if (rules === undefined) {
        missing.push(type.name);
      } else if (fieldRules) {
        // graphql-shield's "*" covers every field of a type not named on its own
        for (const field of Object.keys(type.getFields())) if (!fieldRules[field] && !fieldRules["*"]) missing.push(`${type.name}.${field}`);
      }
    }
    expect(missing, "fields and types without a shield rule").to.deep.equal([]);
    // and the map names nothing the schema does not have (a typo would silently leave the real field denied)
    const stale = Object.keys(permissions).filter((name) => !schema.getType(name));
    expect(stale).to.deep.equal([]);
  });

  it("every field whose rule is not isPublic keeps shield's check; only isPublic fields are served unwrapped", async () => {
    const schema = await buildAppSchema({ pubSub: createPubSub() });
    const permissions = allPermissions();
    const served = applyPermissions(schema, permissions);
    const unchecked: string[] = [];
    const wrappedPublic: string[] = [];
    let publicFields = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      const servedFields = (served.getType(type.name) as typeof type).getFields();
      for (const [name, field] of Object.entries(type.getFields())) {
        const wrapped = servedFields[name].resolve !== field.resolve;
        if (ruleFor(permissions, type.name, name) === allow) {
          publicFields += 1;
          if (wrapped) wrappedPublic.push(`${type.name}.${name}`);
        } else if (!wrapped) unchecked.push(`${type.name}.${name}`);
      }
    }
    expect(unchecked, "fields with a rule that shield does not check").to.deep.equal([]);
    expect(wrappedPublic).to.deep.equal([]);
    expect(publicFields).to.be.greaterThan(100);
  });

  it("resolves rules as graphql-shield does: a field's own, else the type's \"*\" or type-wide rule, else deny", async () => {
    const schema = buildSchema(`
      type Query { open: String secret: String unlisted: String item: Item other: Other whole: Whole }
      type Item { name: String cost: Int }
      type Other { x: String }
      type Whole { y: String }
    `);
    const served = applyPermissions(schema, { Query: { open: allow, secret: deny, item: allow, other: allow, whole: allow }, Item: { "*": allow, cost: deny }, Whole: allow });
    const rootValue = { open: "o", secret: "s", unlisted: "u", item: { name: "n", cost: 1 }, other: { x: "x" }, whole: { y: "y" } };
    const result = await execute({ schema: served, document: parse("{ open secret unlisted item { name cost } other { x } whole { y } }"), rootValue, contextValue: {} });
    expect(result.data).to.deep.equal({ open: "o", secret: null, unlisted: null, item: { name: "n", cost: null }, other: { x: null }, whole: { y: "y" } });
    expect(result.errors!.map((error) => `${error.path!.join(".")} ${error.extensions.code}`).sort()).to.deep.equal([
      "item.cost FORBIDDEN", "other.x FORBIDDEN", "secret FORBIDDEN", "unlisted FORBIDDEN",
    ]);
  });

  describe("over HTTP", () => {
    let store: RunningStore;
    let url: string;
    let alice: TestAccount;
    let bob: TestAccount;
    let admin: TestAccount;
    before(async () => {
      store = await sharedStore();
      url = store.url!;
      [alice, bob, admin] = await Promise.all([registerAccount(url, "alice"), registerAccount(url, "bob"), registerAdmin(store)]);
    });

    it("a guest calling a protected field gets UNAUTHENTICATED", async () => {
      expect(errorCode(await gql(url, "{ me { id } }"))).to.equal("UNAUTHENTICATED");
      expect(errorCode(await gql(url, `{ user(id: "${alice.id}") { id } }`))).to.equal("UNAUTHENTICATED");
      expect(errorCode(await gql(url, "{ users { total } }"))).to.equal("UNAUTHENTICATED");
      expect(errorCode(await gql(url, "mutation { logout }"))).to.equal("UNAUTHENTICATED");
    });

    it("public fields answer guests", async () => {
      const levels = await gql(url, "{ memberLevels { code rank } }");
      expect(levels.data!.memberLevels.map((l: { code: string }) => l.code)).to.deep.equal(["RETAIL", "MEMBER", "VIP", "RESELLER"]);
    });

    it("a customer reads their own account but not another customer's (FORBIDDEN)", async () => {
      const own = await gql(url, `{ user(id: "${alice.id}") { id email } }`, {}, alice.accessToken);
      expect(own.data!.user).to.deep.equal({ id: alice.id, email: alice.email });
      const other = await gql(url, `{ user(id: "${bob.id}") { id email } }`, {}, alice.accessToken);
      expect(errorCode(other)).to.equal("FORBIDDEN");
      expect(other.data).to.equal(null);
    });

    it("a customer cannot call admin queries or mutations (FORBIDDEN), nor raise their own privileges", async () => {
      expect(errorCode(await gql(url, "{ users { total } }", {}, alice.accessToken))).to.equal("FORBIDDEN");
      expect(errorCode(await gql(url, "{ activityLog { total } }", {}, alice.accessToken))).to.equal("FORBIDDEN");
      const grant = await gql(url, `mutation { setUserRoles(userId: "${alice.id}", roles: [ADMIN]) { roles } }`, {}, alice.accessToken);
      expect(errorCode(grant)).to.equal("FORBIDDEN");
      const level = await gql(url, `mutation { setUserLevel(userId: "${alice.id}", levelCode: "VIP") { id } }`, {}, alice.accessToken);
      expect(errorCode(level)).to.equal("FORBIDDEN");
      const approve = await gql(url, `mutation { approveReseller(userId: "${alice.id}") { id } }`, {}, alice.accessToken);
      expect(errorCode(approve)).to.equal("FORBIDDEN");
      const me = await gql(url, "{ me { roles level { code } customerType } }", {}, alice.accessToken);
      expect(me.data!.me).to.deep.equal({ roles: ["CUSTOMER"], level: { code: "RETAIL" }, customerType: "RETAIL" });
    });

    it("staff without ADMIN cannot change accounts; an admin cannot change their own roles or suspend themselves", async () => {
      const support = await registerAccount(url, "support");
      const supportIn = await grantRoles(store, support, [Role.SUPPORT]);
      expect((await gql(url, `{ user(id: "${bob.id}") { id } }`, {}, supportIn.accessToken)).data!.user.id).to.equal(bob.id);
      expect(errorCode(await gql(url, `mutation { suspendUser(userId: "${bob.id}") { id } }`, {}, supportIn.accessToken))).to.equal("FORBIDDEN");
      expect(errorCode(await gql(url, `mutation { setUserRoles(userId: "${admin.id}", roles: [CUSTOMER]) { id } }`, {}, admin.accessToken))).to.equal("FORBIDDEN");
      expect(errorCode(await gql(url, `mutation { suspendUser(userId: "${admin.id}") { id } }`, {}, admin.accessToken))).to.equal("FORBIDDEN");
    });
  });
});
