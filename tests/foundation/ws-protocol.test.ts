import { expect } from "chai";
import WebSocket from "ws";
import type { RunningStore } from "../../src/boot";
import { sharedStore } from "../helpers/store";

/** A raw graphql-ws socket, to see exactly how the server closes it. */
function open(url: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once("close", (code) => resolve(code)));
}

const send = (socket: WebSocket, message: unknown) => socket.send(typeof message === "string" ? message : JSON.stringify(message));
const subscribe = (id: string) => ({ id, type: "subscribe", payload: { query: "subscription { myNotifications { id } }" } });

describe("graphql-ws close codes on /graphql", function () {
  this.timeout(20_000);
  let store: RunningStore;
  before(async () => {
    store = await sharedStore();
  });

  it("4400 for a message that is not the protocol", async () => {
    const socket = await open(store.url!);
    send(socket, "{not json");
    expect(await closed(socket)).to.equal(4400);
  });

  it("4401 for a subscribe before the connection is acknowledged", async () => {
    const socket = await open(store.url!);
    send(socket, subscribe("1"));
    expect(await closed(socket)).to.equal(4401);
  });

  it("4403 for credentials that are refused", async () => {
    const socket = await open(store.url!);
    send(socket, { type: "connection_init", payload: { Authorization: "Bearer not-a-token" } });
    expect(await closed(socket)).to.equal(4403);
  });

  it("4408 when no connection_init arrives in time", async () => {
    const socket = await open(store.url!);
    expect(await closed(socket)).to.equal(4408);
  });

  it("4429 for a second connection_init, and 4409 for a duplicate subscription id", async () => {
    const twice = await open(store.url!);
    send(twice, { type: "connection_init" });
    send(twice, { type: "connection_init" });
    expect(await closed(twice)).to.equal(4429);

    const duplicate = await open(store.url!);
    send(duplicate, { type: "connection_init" });
    await new Promise((resolve) => duplicate.once("message", resolve)); // connection_ack
    // the first subscription is still being set up when the second arrives with the same id
    send(duplicate, subscribe("same"));
    send(duplicate, subscribe("same"));
    expect(await closed(duplicate)).to.equal(4409);
  });
});
