import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { httpRequest } from "../../src/core/http-client";

describe("Outgoing provider calls (httpRequest)", () => {
  let server: http.Server;
  let url: string;
  before(async () => {
    server = http.createServer((_req, res) => res.end('{"ok":true}'));
    // announces "Keep-Alive: timeout=2" and closes an idle socket after about 3 s
    server.keepAliveTimeout = 2_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const openConnections = () => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));

  it("drops an idle keep-alive socket before the server's announced timeout, so no call is sent on a socket being closed", async function () {
    this.timeout(10_000);
    const first = await httpRequest(`${url}/one`);
    expect(first).to.deep.include({ status: 200, json: { ok: true } });
    expect(await openConnections()).to.equal(1); // kept alive
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(await openConnections()).to.equal(0); // dropped by us a second before the hint, not by the server at 3 s
    expect((await httpRequest(`${url}/two`)).status).to.equal(200);
  });
});
