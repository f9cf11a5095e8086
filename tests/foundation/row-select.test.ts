import { expect } from "chai";
import type { DataSource } from "typeorm";
import { newId } from "../../src/core/ids";
import { insertRows } from "../../src/core/row-insert";
import { selectRows } from "../../src/core/row-select";
import { Payment, PaymentStatus } from "../../src/modules/payments/payment.entity";
import { sharedStore } from "../helpers/store";

describe("selectRows: entities read without the query builder", () => {
  let dataSource: DataSource;
  before(async () => {
    dataSource = (await sharedStore()).infra.dataSource;
  });

  it("hydrates a row exactly as TypeORM's findOne does (money, enum, JSON, dates, nulls)", async () => {
    const reference = `SEL-${newId()}`;
    const row = Object.assign(new Payment(), {
      orderId: newId(), reference, gateway: "TRIPAY", methodCode: "TRIPAY_QRIS", channel: "QRIS", amount: 20_000, amountToPay: 20_890,
      gatewayReference: null, status: PaymentStatus.PENDING, instructions: { qrString: "000201", steps: ["scan", "pay"] },
      expiresAt: new Date("2026-11-24T10:00:00.000Z"), paidAt: null, lastCheckedAt: null,
    });
    await insertRows(dataSource.manager, Payment, row);
    const expected = await dataSource.getRepository(Payment).findOneByOrFail({ reference });
    const found = await selectRows(dataSource.manager, Payment, "reference = ?", [reference]);
    expect(found).to.have.length(1);
    expect(found[0]).to.be.instanceOf(Payment);
    expect(found[0]).to.deep.equal(expected);
    expect(found[0]).to.include({ amountToPay: 20_890, gatewayReference: null, status: PaymentStatus.PENDING });
  });

  it("answers no rows when nothing matches", async () => {
    expect(await selectRows(dataSource.manager, Payment, "reference = ?", [`NONE-${newId()}`])).to.deep.equal([]);
  });
});
