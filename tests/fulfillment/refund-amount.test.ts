import { expect } from "chai";
import { FulfilmentStatus } from "../../src/modules/ordering/order-item.entity";
import { refundAmount } from "../../src/modules/refunds/refund.service";

const item = (fulfilmentStatus: FulfilmentStatus, unitPrice: number, quantity = 1) => ({ fulfilmentStatus, unitPrice, quantity });

describe("How much a failed order gives back", () => {
  it("everything paid when nothing was delivered (fee included)", () => {
    expect(refundAmount({ total: 50_500, subtotal: 50_000 }, [item(FulfilmentStatus.FAILED, 50_000)])).to.equal(50_500);
  });

  it("only the failed items' share when some were delivered, discounts spread by value, rounded down", () => {
    // subtotal 30,000, paid 27,001 after a discount and fee: the failed 10,000 item is a third of the value
    const order = { total: 27_001, subtotal: 30_000 };
    expect(refundAmount(order, [item(FulfilmentStatus.SUCCESS, 20_000), item(FulfilmentStatus.FAILED, 10_000)])).to.equal(9_000);
    expect(refundAmount(order, [item(FulfilmentStatus.SHIPPED, 5_000, 4), item(FulfilmentStatus.FAILED, 10_000)])).to.equal(9_000);
  });

  it("nothing for a free order", () => {
    expect(refundAmount({ total: 0, subtotal: 20_000 }, [item(FulfilmentStatus.FAILED, 20_000)])).to.equal(0);
  });
});
