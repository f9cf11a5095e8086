import { expect } from "chai";
import net from "node:net";
import { FaultProxy } from "../../src/ops/fault-proxy";

/** An echo server that also remembers what it received. */
async function echoServer(): Promise<{ port: number; received: () => string; close(): Promise<void> }> {
  let received = "";
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("data", (chunk) => {
      received += chunk.toString();
      socket.write(chunk);
    });
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A client that collects what comes back and how it ended. */
function connect(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  const state = { data: "", error: null as string | null, closed: false };
  socket.on("data", (chunk) => (state.data += chunk.toString()));
  socket.on("error", (error: NodeJS.ErrnoException) => (state.error = error.code ?? error.message));
  socket.on("close", () => (state.closed = true));
  const connected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, state, connected };
}

const until = async (check: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("FaultProxy (src/ops/fault-proxy.ts)", () => {
  let echo: Awaited<ReturnType<typeof echoServer>>;
  let proxy: FaultProxy;
  beforeEach(async () => {
    echo = await echoServer();
    proxy = new FaultProxy({ name: "echo", targetPort: echo.port });
    await proxy.start();
  });
  afterEach(async () => {
    await proxy.stop();
    await echo.close();
  });

  it("passes bytes both ways untouched, and counts them", async () => {
    const client = connect(proxy.port);
    client.socket.write("hello");
    await until(() => client.state.data === "hello");
    expect(proxy.snapshot()).to.include({ accepted: 1, open: 1, bytesUp: 5, bytesDown: 5 });
    client.socket.destroy();
  });

  it("latency delays every chunk, in order", async () => {
    proxy.latency(150);
    const client = connect(proxy.port);
    await client.connected;
    const started = Date.now();
    for (const part of ["a", "b", "c", "d"]) client.socket.write(part);
    await until(() => client.state.data.length === 4);
    expect(client.state.data).to.equal("abcd");
    expect(Date.now() - started).to.be.at.least(300); // up and down: a lower bound only
    client.socket.destroy();
  });

  it("stall up holds what the client sends until unstall; nothing is lost", async () => {
    const client = connect(proxy.port);
    await client.connected;
    proxy.stall("up");
    client.socket.write("one,");
    client.socket.write("two");
    await pause(100);
    expect(echo.received()).to.equal("");
    proxy.unstall();
    await until(() => client.state.data === "one,two");
    expect(echo.received()).to.equal("one,two");
    client.socket.destroy();
  });

  it("stall down: the server receives, the answer is held until unstall", async () => {
    const client = connect(proxy.port);
    await client.connected;
    proxy.stall("down");
    client.socket.write("ping");
    await until(() => echo.received() === "ping");
    await pause(100);
    expect(client.state.data).to.equal("");
    proxy.unstall("down");
    await until(() => client.state.data === "ping");
    client.socket.destroy();
  });

  it("a connection opened during a stall reaches the server only after it", async () => {
    proxy.stall();
    const client = connect(proxy.port);
    client.socket.write("late");
    await pause(100);
    expect(echo.received()).to.equal("");
    proxy.unstall();
    await until(() => client.state.data === "late");
    client.socket.destroy();
  });

  it("reset drops open connections with a RST", async () => {
    const client = connect(proxy.port);
    await client.connected;
    client.socket.write("x");
    await until(() => client.state.data === "x");
    expect(proxy.reset()).to.equal(1);
    await until(() => client.state.closed);
    expect(client.state.error).to.equal("ECONNRESET");
    expect(proxy.snapshot()).to.include({ open: 0, resets: 1 });
  });

  it("refuse makes new connections fail with ECONNREFUSED; accept listens again on the same port", async () => {
    const port = proxy.port;
    await proxy.refuse();
    const refused = connect(port);
    await until(() => refused.state.closed);
    expect(refused.state.error).to.equal("ECONNREFUSED");
    await proxy.accept();
    expect(proxy.port).to.equal(port);
    const client = connect(port);
    client.socket.write("back");
    await until(() => client.state.data === "back");
    client.socket.destroy();
  });

  it("cut and restore: unreachable, then a clean pass-through", async () => {
    const open = connect(proxy.port);
    await open.connected;
    proxy.latency(50).stall("down");
    await proxy.cut();
    await until(() => open.state.closed);
    expect(proxy.describe()).to.include("refusing");
    await proxy.restore();
    expect(proxy.describe()).to.deep.equal([]);
    const client = connect(proxy.port);
    client.socket.write("ok");
    await until(() => client.state.data === "ok");
    client.socket.destroy();
  });
});
