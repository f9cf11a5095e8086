import type { RunningStore } from "../../src/boot";
import { compose, type Services } from "../../src/composition-root";
import type { Viewer } from "../../src/core/context";
import { HttpServer } from "../../src/core/http-server";
import { Role } from "../../src/modules/identity/role";

/** Test bearer tokens → viewers, until identity's real sessions land. */
export const TEST_VIEWERS: Record<string, Viewer> = {
  admin: { kind: "user", userId: "01TESTADM1N000000000000000", roles: [Role.ADMIN], levelCode: "RETAIL", via: "session" },
  customer: { kind: "user", userId: "01TESTCUST0MER000000000000", roles: [Role.CUSTOMER], levelCode: "RETAIL", via: "session" },
  member: { kind: "user", userId: "01TESTMEMBER00000000000000", roles: [Role.CUSTOMER], levelCode: "MEMBER", via: "session" },
  reseller: { kind: "user", userId: "01TESTRESE11ER000000000000", roles: [Role.CUSTOMER], levelCode: "RESELLER", via: "api-token", scopes: [] },
};

export interface ViewerServer {
  url: string;
  services: Services;
  stop(): Promise<void>;
}

/**
 * A second API server on a running test store (same MySQL, Redis and
 * composition) that accepts `Authorization: Bearer <admin|customer|member|reseller>`.
 */
export async function serveWithTestViewers(store: RunningStore): Promise<ViewerServer> {
  const composition = await compose(store.infra, { baseUrl: store.sandboxUrl ?? "", storeUrl: () => store.url ?? "" });
  const server = new HttpServer({
    config: store.infra.config,
    logger: store.infra.logger,
    schema: composition.schema,
    readiness: [],
    webhooks: [],
    authenticate: async (authorization) => {
      const token = authorization?.replace(/^Bearer /, "") ?? "";
      return TEST_VIEWERS[token] ?? { kind: "guest" };
    },
  });
  await server.start();
  return { url: `http://127.0.0.1:${server.port}`, services: composition.services, stop: () => server.stop() };
}
