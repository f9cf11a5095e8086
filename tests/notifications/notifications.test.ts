import { expect } from "chai";
import type { ExecutionResult, GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import type { RunningStore } from "../../src/boot";
import type { Viewer } from "../../src/core/context";
import { Notification, NotificationType } from "../../src/modules/notifications/notification.entity";
import { NOTIFICATION_TOPIC, NotificationService } from "../../src/modules/notifications/notifications.service";
import { sharedStore } from "../helpers/store";
import { errorCode, gql, wsClient } from "../helpers/graphql";
import { composedSchema, execAs } from "../helpers/as-viewer";
import { createTestUser } from "../helpers/users";
import { subscribeAs, waitForSubscribers } from "../helpers/subscribe-as";

const LIST = `query ($unreadOnly: Boolean, $first: Int, $after: String) {
  myNotifications(unreadOnly: $unreadOnly, first: $first, after: $after) { items { id type title body data readAt createdAt } nextCursor unreadCount }
}`;
const MARK = `mutation ($ids: [ID!]!) { markNotificationsRead(ids: $ids) { marked unreadCount } }`;
const MARK_ALL = `mutation { markAllNotificationsRead { marked unreadCount } }`;
const SUBSCRIPTION = `subscription { myNotifications { id type title body data readAt createdAt } }`;

describe("In-app notifications", function () {
  this.timeout(60_000);
  let store: RunningStore;
  let dataSource: DataSource;
  let schema: GraphQLSchema;
  let notifications: NotificationService;
  let budi: { id: string; viewer: Viewer };
  let citra: { id: string; viewer: Viewer };

  before(async () => {
    store = await sharedStore();
    dataSource = store.infra.dataSource;
    schema = await composedSchema(store);
    notifications = new NotificationService(dataSource, store.infra.eventBus);
    budi = await createTestUser(dataSource);
    citra = await createTestUser(dataSource);
  });

  const notify = (userId: string, title: string, data: Record<string, unknown> | null = null) =>
    dataSource.transaction((manager) => notifications.notify(manager, { userId, type: NotificationType.TRX, title, body: `${title} — detail`, data }));

  it("a payment module writes a notification inside its own transaction; a rollback leaves nothing", async () => {
    const saved = await notify(budi.id, "Pembayaran diterima", { orderId: "01ORDER" });
    const row = await dataSource.getRepository(Notification).findOneByOrFail({ id: saved.id });
    expect(row).to.deep.include({ userId: budi.id, type: NotificationType.TRX, title: "Pembayaran diterima", readAt: null });
    expect(row.data).to.deep.equal({ orderId: "01ORDER" });

    const before = await dataSource.getRepository(Notification).countBy({ userId: budi.id });
    await dataSource
      .transaction(async (manager) => {
        await notifications.notify(manager, { userId: budi.id, type: NotificationType.SYSTEM, title: "never", body: "" });
        throw new Error("checkout failed later");
      })
      .catch(() => undefined);
    expect(await dataSource.getRepository(Notification).countBy({ userId: budi.id })).to.equal(before);
  });

  it("refuses a bad notification with BAD_USER_INPUT and writes nothing", async () => {
    const before = await dataSource.getRepository(Notification).count();
    for (const input of [
      { userId: budi.id, type: NotificationType.TRX, title: "  ", body: "x" },
      { userId: budi.id, type: "PROMO" as NotificationType, title: "t", body: "x" },
      { userId: "not-a-user", type: NotificationType.TRX, title: "t", body: "x" },
      { userId: budi.id, type: NotificationType.TRX, title: "t", body: "x".repeat(2001) },
    ]) {
      const error = await dataSource.transaction((manager) => notifications.notify(manager, input)).catch((e) => e);
      expect(error.extensions?.code, JSON.stringify(input).slice(0, 80)).to.equal("BAD_USER_INPUT");
    }
    expect(await dataSource.getRepository(Notification).count()).to.equal(before);
  });

  it("a member lists their notifications newest first with paging and the unread count, and marks them read", async () => {
    const member = await createTestUser(dataSource);
    const written = [];
    for (const title of ["satu", "dua", "tiga"]) written.push(await notify(member.id, title));
    await notify(citra.id, "someone else's");

    const page1 = await execAs(schema, member.viewer, LIST, { first: 2 });
    expect(page1.errors).to.equal(undefined);
    expect(page1.data!.myNotifications.items.map((n: { title: string }) => n.title)).to.deep.equal(["tiga", "dua"]);
    expect(page1.data!.myNotifications.unreadCount).to.equal(3);
    const page2 = await execAs(schema, member.viewer, LIST, { first: 2, after: page1.data!.myNotifications.nextCursor });
    expect(page2.data!.myNotifications.items.map((n: { title: string }) => n.title)).to.deep.equal(["satu"]);
    expect(page2.data!.myNotifications.nextCursor).to.equal(null);

    // Citra's id in the list is ignored: only the member's own rows change.
    const othersRow = await dataSource.getRepository(Notification).findOneByOrFail({ userId: citra.id });
    const marked = await execAs(schema, member.viewer, MARK, { ids: [written[0].id, written[0].id, othersRow.id] });
    expect(marked.data!.markNotificationsRead).to.deep.equal({ marked: 1, unreadCount: 2 });
    expect((await dataSource.getRepository(Notification).findOneByOrFail({ id: othersRow.id })).readAt).to.equal(null);
    const again = await execAs(schema, member.viewer, MARK, { ids: [written[0].id] });
    expect(again.data!.markNotificationsRead).to.deep.equal({ marked: 0, unreadCount: 2 });

    const unread = await execAs(schema, member.viewer, LIST, { unreadOnly: true });
    expect(unread.data!.myNotifications.items.map((n: { title: string }) => n.title)).to.deep.equal(["tiga", "dua"]);

    const all = await execAs(schema, member.viewer, MARK_ALL);
    expect(all.data!.markAllNotificationsRead).to.deep.equal({ marked: 2, unreadCount: 0 });
    const rows = await dataSource.getRepository(Notification).findBy({ userId: member.id });
    expect(rows.every((row) => row.readAt instanceof Date)).to.equal(true);
  });

  it("refuses bad ids and bad cursors with BAD_USER_INPUT", async () => {
    expect((await execAs(schema, budi.viewer, MARK, { ids: [] })).code).to.equal("BAD_USER_INPUT");
    expect((await execAs(schema, budi.viewer, MARK, { ids: ["x'; DROP TABLE notifications; --"] })).code).to.equal("BAD_USER_INPUT");
    expect((await execAs(schema, budi.viewer, LIST, { after: "nope" })).code).to.equal("BAD_USER_INPUT");
    expect((await execAs(schema, budi.viewer, LIST, { first: 0 })).code).to.equal("BAD_USER_INPUT");
  });

  it("a guest over HTTP is UNAUTHENTICATED on every notification field", async () => {
    for (const query of [LIST, MARK_ALL]) {
      expect(errorCode(await gql(store.url!, query))).to.equal("UNAUTHENTICATED");
    }
    expect(errorCode(await gql(store.url!, MARK, { ids: [budi.id] }))).to.equal("UNAUTHENTICATED");
  });

  it("pushes a new notification to its user's subscription after commit, and only to that user", async () => {
    const budiEvents = (await subscribeAs(schema, budi.viewer, SUBSCRIPTION)) as AsyncIterableIterator<ExecutionResult>;
    const citraEvents = (await subscribeAs(schema, citra.viewer, SUBSCRIPTION)) as AsyncIterableIterator<ExecutionResult>;
    expect(budiEvents).to.have.property("next");
    const budiNext = budiEvents.next();
    const citraNext = citraEvents.next();
    const { redis, eventBus } = store.infra;
    await waitForSubscribers(redis, eventBus.channel(NOTIFICATION_TOPIC, budi.id));
    await waitForSubscribers(redis, eventBus.channel(NOTIFICATION_TOPIC, citra.id));

    const saved = await notify(budi.id, "Transaksi sukses", { orderId: "01ORDERX", sn: "1234-5678" });
    const first = await budiNext;
    expect(first.value.errors).to.equal(undefined);
    expect(first.value.data.myNotifications).to.deep.equal({
      id: saved.id,
      type: "TRX",
      title: "Transaksi sukses",
      body: "Transaksi sukses — detail",
      data: { orderId: "01ORDERX", sn: "1234-5678" },
      readAt: null,
      createdAt: saved.createdAt.toISOString(),
    });

    // Citra's first event is her own notification, not Budi's.
    const hers = await notify(citra.id, "Untuk Citra");
    expect((await citraNext).value.data.myNotifications.id).to.equal(hers.id);
    await budiEvents.return?.();
    await citraEvents.return?.();
  });

  it("refuses a guest at subscribe time over graphql-ws with UNAUTHENTICATED, opening no channel", async () => {
    const client = wsClient(store.url!);
    try {
      const outcome = await new Promise<{ code?: string; via: string }>((resolve) => {
        client.subscribe(
          { query: SUBSCRIPTION },
          {
            next: (result) => resolve({ code: result.errors?.[0]?.extensions?.code as string | undefined, via: "next" }),
            error: (error) => resolve({ code: (error as { extensions?: { code?: string } }[])[0]?.extensions?.code, via: "error" }),
            complete: () => resolve({ via: "complete" }),
          },
        );
      });
      expect(outcome.code).to.equal("UNAUTHENTICATED");
      const channels = (await store.infra.redis.pubsub("CHANNELS", `${store.infra.eventBus.channel(NOTIFICATION_TOPIC)}*`)) as string[];
      expect(channels.filter((channel) => channel.endsWith(":undefined") || channel.endsWith(NOTIFICATION_TOPIC))).to.deep.equal([]);
    } finally {
      await client.dispose();
    }
  });
});
