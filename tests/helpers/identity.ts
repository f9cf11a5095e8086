import type { Client } from "graphql-ws";
import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import { Role } from "../../src/modules/identity/role";
import { User } from "../../src/modules/identity/user.entity";
import { UserRole } from "../../src/modules/identity/user-role.entity";
import { gql } from "./graphql";

export const PASSWORD = "rahasia-123";

export const AUTH_FIELDS = "accessToken refreshToken accessTokenExpiresAt refreshTokenExpiresAt account { id email roles level { code } customerType }";

export interface TestAccount {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

/** A fresh email per call, so runs and tests never collide. */
export const uniqueEmail = (tag = "user") => `${tag}.${ulid().toLowerCase()}@example.test`;

/** Registers a customer over GraphQL and returns its tokens. */
export async function registerAccount(url: string, tag = "user", extra: Record<string, unknown> = {}): Promise<TestAccount> {
  const email = uniqueEmail(tag);
  const response = await gql(url, `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`, {
    input: { name: `Test ${tag}`, email, password: PASSWORD, ...extra },
  });
  if (response.errors) throw new Error(`register failed: ${JSON.stringify(response.errors)}`);
  const payload = response.data!.register;
  return { id: payload.account.id, email, accessToken: payload.accessToken, refreshToken: payload.refreshToken };
}

export async function login(url: string, email: string, password = PASSWORD): Promise<TestAccount> {
  const response = await gql(url, `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { ${AUTH_FIELDS} } }`, { email, password });
  if (response.errors) throw new Error(`login failed: ${JSON.stringify(response.errors)}`);
  const payload = response.data!.login;
  return { id: payload.account.id, email, accessToken: payload.accessToken, refreshToken: payload.refreshToken };
}

/** Test setup only: gives a registered account extra roles straight in the database, then signs in again. */
export async function grantRoles(store: RunningStore, account: TestAccount, roles: Role[]): Promise<TestAccount> {
  await store.infra.dataSource.getRepository(UserRole).insert(roles.map((role) => ({ id: ulid(), userId: account.id, role })));
  return login(store.url!, account.email);
}

export async function registerAdmin(store: RunningStore): Promise<TestAccount> {
  return grantRoles(store, await registerAccount(store.url!, "admin"), [Role.ADMIN]);
}

/** An approved reseller (approved by the given admin over GraphQL), signed in. */
export async function registerReseller(store: RunningStore, admin: TestAccount): Promise<TestAccount> {
  const account = await registerAccount(store.url!, "reseller");
  const approved = await gql(store.url!, `mutation ($id: ID!) { approveReseller(userId: $id) { id } }`, { id: account.id }, admin.accessToken);
  if (approved.errors) throw new Error(`approve failed: ${JSON.stringify(approved.errors)}`);
  return login(store.url!, account.email);
}

export async function userRow(store: RunningStore, id: string): Promise<User> {
  return store.infra.dataSource.getRepository(User).findOneOrFail({ where: { id }, relations: { level: true, roles: true } });
}

export async function countRows(store: RunningStore, table: string, where = "1=1", params: unknown[] = []): Promise<number> {
  const [row] = await store.infra.dataSource.query(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE ${where}`, params);
  return Number(row.n);
}

/** A live subscription: its events, and how it ended (error, e.g. a close event with code 4403, or complete). */
export interface LiveSubscription {
  events: unknown[];
  ended: Promise<{ error?: any; complete?: true }>;
}

export function subscribeTo(client: Client, query: string): LiveSubscription {
  const events: unknown[] = [];
  const ended = new Promise<{ error?: any; complete?: true }>((resolve) => {
    client.subscribe({ query }, { next: (value) => void events.push(value), error: (error) => resolve({ error }), complete: () => resolve({ complete: true }) });
  });
  return { events, ended };
}

/** Waits until the store's Redis SUBSCRIBE for a channel is in place (it is issued lazily). */
export async function waitForSubscriber(store: RunningStore, channel: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [, count] = (await store.infra.redis.pubsub("NUMSUB", channel)) as [string, number];
    if (Number(count) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nobody subscribed to ${channel}`);
}

/** Resolves with the outcome, or "still open" when nothing happened within the time. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | "still open"> {
  return Promise.race([promise, new Promise<"still open">((resolve) => setTimeout(() => resolve("still open"), ms))]);
}
