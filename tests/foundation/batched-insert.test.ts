import { expect } from "chai";
import type { DataSource } from "typeorm";
import { batchedInsert } from "../../src/core/batched-insert";
import { newId } from "../../src/core/ids";
import { SupplierCallback } from "../../src/modules/fulfillment/supplier-callback.entity";
import { countInserts } from "../helpers/statements";
import { sharedStore } from "../helpers/store";

describe("batchedInsert: rows that wait a few ms for company", () => {
  let dataSource: DataSource;
  before(async () => {
    dataSource = (await sharedStore()).infra.dataSource;
  });

  const row = (tag: string, id = newId()) =>
    Object.assign(new SupplierCallback(), { id, supplier: "TEST", event: "batch", refId: tag, headers: {}, rawBody: tag, ip: null, verified: false, reason: "test", claimed: null, outcome: "rejected" });
  const stored = async (tag: string) => Number((await dataSource.query("SELECT COUNT(*) AS n FROM supplier_callbacks WHERE ref_id = ?", [tag]))[0].n);

  it("writes rows added within the window in one statement, and answers each only once all are stored", async () => {
    const tag = `batch-${newId()}`;
    const batch = batchedInsert(dataSource, SupplierCallback, { windowMs: 50, maxItems: 100 });
    const seen: number[] = [];
    const count = await countInserts(dataSource, "supplier_callbacks", () => Promise.all(Array.from({ length: 30 }, () => batch.add(row(tag)).then(async () => void seen.push(await stored(tag))))));
    expect(count).to.equal(1);
    expect(seen).to.deep.equal(Array(30).fill(30));
  });

  it("writes at once when maxRows are waiting, without waiting out the window", async function () {
    this.timeout(5_000);
    const tag = `full-${newId()}`;
    const batch = batchedInsert(dataSource, SupplierCallback, { windowMs: 60_000, maxItems: 3 });
    await Promise.all([batch.add(row(tag)), batch.add(row(tag)), batch.add(row(tag))]);
    expect(await stored(tag)).to.equal(3);
  });

  it("a bad row fails only its own add: the rest of its batch is stored", async () => {
    const tag = `bad-${newId()}`;
    const taken = newId();
    await batchedInsert(dataSource, SupplierCallback).add(row(tag, taken));
    const batch = batchedInsert(dataSource, SupplierCallback, { windowMs: 50, maxItems: 100 });
    const results = await Promise.allSettled([batch.add(row(tag)), batch.add(row(tag, taken)), batch.add(row(tag)), batch.add(row(tag))]);
    expect(results.map((result) => result.status)).to.deep.equal(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).to.match(/Duplicate entry/);
    expect(await stored(tag)).to.equal(4);
  });
});
