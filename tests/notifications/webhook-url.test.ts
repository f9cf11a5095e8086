import { expect } from "chai";
import { checkWebhookUrl, isPrivateAddress } from "../../src/modules/notifications/reseller-webhook-url";

describe("Reseller webhook URLs", () => {
  it("accepts public https and http URLs", () => {
    expect(checkWebhookUrl(" https://toko-pulsa.example.co.id/lapak/hook ", false)).to.equal("https://toko-pulsa.example.co.id/lapak/hook");
    expect(checkWebhookUrl("http://203.0.113.10:8080/hook?x=1", false)).to.equal("http://203.0.113.10:8080/hook?x=1");
  });

  it("in live mode refuses loopback, private, link-local and local names", () => {
    for (const url of [
      "http://127.0.0.1:4000/hook",
      "http://localhost/hook",
      "http://api.localhost/hook",
      "http://10.1.2.3/hook",
      "http://172.20.0.5/hook",
      "http://192.168.1.1/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://100.64.0.1/hook",
      "http://0.0.0.0/hook",
      "http://[::1]/hook",
      "http://[fd00::1]/hook",
      "http://[::ffff:127.0.0.1]/hook",
      "http://printer.local/hook",
    ]) {
      expect(() => checkWebhookUrl(url, false), url).to.throw("public host");
    }
  });

  it("in sandbox mode allows a local receiver", () => {
    expect(checkWebhookUrl("http://127.0.0.1:9999/hook", true)).to.equal("http://127.0.0.1:9999/hook");
  });

  it("refuses other schemes, credentials and garbage in any mode", () => {
    for (const url of ["ftp://example.com/x", "file:///etc/passwd", "https://a:b@example.com/", "https://user@example.com/", "hook", ""]) {
      expect(() => checkWebhookUrl(url, true), url).to.throw();
    }
  });

  it("classifies addresses", () => {
    expect(isPrivateAddress("8.8.8.8")).to.equal(false);
    expect(isPrivateAddress("2001:4860:4860::8888")).to.equal(false);
    expect(isPrivateAddress("172.32.0.1")).to.equal(false);
    expect(isPrivateAddress("172.31.255.255")).to.equal(true);
    expect(isPrivateAddress("fe80::1")).to.equal(true);
  });
});
