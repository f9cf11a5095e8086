import { expect } from "chai";
import { LogTally } from "../../src/core/log-tally";
import { recordingLogger } from "../helpers/recording-logger";

describe("LogTally: a flood of one warning is logged as a count", () => {
  it("logs the first of each kind in full, counts the rest, and logs the count when the interval ends", () => {
    const { logger, lines } = recordingLogger();
    const tally = new LogTally(logger, 60_000);
    for (let i = 0; i < 5; i++) tally.warn("payment callback rejected", { gateway: "TRIPAY" }, { callbackId: `cb${i}` });
    tally.warn("payment callback rejected", { gateway: "DUITKU" }, { callbackId: "d0" });
    expect(lines.map(({ message, gateway, callbackId }) => [message, gateway, callbackId])).to.deep.equal([
      ["payment callback rejected", "TRIPAY", "cb0"],
      ["payment callback rejected", "DUITKU", "d0"],
    ]);

    tally.flush();
    expect(lines.slice(2).map(({ level, message, gateway, more }) => [level, message, gateway, more])).to.deep.equal([
      ["warn", "payment callback rejected (4 more like it in the last 60 s)", "TRIPAY", 4],
    ]);

    // a new interval: the next one is logged in full again
    tally.warn("payment callback rejected", { gateway: "TRIPAY" }, { callbackId: "cb5" });
    expect(lines.slice(3).map(({ callbackId }) => callbackId)).to.deep.equal(["cb5"]);
    tally.flush();
    expect(lines).to.have.length(4);
  });
});
