import { expect } from "chai";
import { SecretBox } from "../../src/core/secret-box";

describe("SecretBox: secrets at rest are sealed with AES-256-GCM", () => {
  const box = new SecretBox("ab".repeat(32));

  it("opens what it sealed, and seals the same text differently each time (random IV)", () => {
    const secret = "whsec_rahasia • kode voucher ✓";
    const first = box.seal(secret);
    const second = box.seal(secret);
    expect(first).not.to.equal(second);
    expect(first).not.to.contain("rahasia");
    expect(box.open(first)).to.equal(secret);
    expect(box.open(second)).to.equal(secret);
  });

  it("refuses a tampered value and one sealed under another key", () => {
    const sealed = box.seal("stock-code-123");
    const parts = sealed.split(".");
    const ciphertext = Buffer.from(parts[3], "base64url");
    ciphertext[0] ^= 1;
    expect(() => box.open([...parts.slice(0, 3), ciphertext.toString("base64url")].join("."))).to.throw();
    expect(() => new SecretBox("cd".repeat(32)).open(sealed)).to.throw();
    expect(() => box.open("plain text")).to.throw("not a sealed secret");
  });

  it("refuses a key that is not 32 bytes of hex", () => {
    expect(() => new SecretBox("short")).to.throw();
  });
});
