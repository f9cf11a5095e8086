import { expect } from "chai";
import { webhookSignature } from "../../src/modules/fulfillment/digiflazz/digiflazz.signature";
import { SUPPLIER_QUEUE } from "../../src/modules/fulfillment/supplier-purchase.service";
import { sharedStore } from "../helpers/store";

describe("The store wires Digiflazz in sandbox mode", function () {
  this.timeout(30_000);

  it("hosts the simulator, mounts POST /webhooks/digiflazz and schedules the supplier sweeper", async () => {
    const store = await sharedStore();
    const sim = await fetch(`${store.sandboxUrl}/digiflazz/__sim/transactions`);
    expect(sim.status).to.equal(200);

    const ping = '{"sed":"abc","hook_id":"h-1","hook":{"url":"x","secret":"y","type":"application/json","status":1}}';
    const post = (signature: string) =>
      fetch(`${store.url}/webhooks/digiflazz`, { method: "POST", headers: { "content-type": "application/json", "x-digiflazz-event": "ping", "x-hub-signature": signature }, body: ping });
    expect((await post(webhookSignature("fake-webhook-secret", ping))).status).to.equal(200);
    expect((await post(webhookSignature("another-secret", ping))).status).to.equal(401);

    const repeatable = await store.infra.queues.get(SUPPLIER_QUEUE).getRepeatableJobs();
    expect(repeatable.map((job) => job.id)).to.include("supplier-sweep");
  });
});
