import { expect } from "chai";
import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import { currentScope } from "../../src/core/request-context";
import { registerAccount, type TestAccount } from "../helpers/identity";
import { startTestStore, stopStore } from "../helpers/store";
import { createMethod } from "../payments/fixtures";
import { GUEST_CONTACT, ML_INPUTS, checkout, fundWallet, sellable, walletMethod } from "./checkout-fixtures";

/**
 * The SQL statements of one checkout, counted exactly: on this path every
 * statement costs a socket write, so a new one is a throughput regression
 * (docs/performance.md). Sign-in is warm: the session cache
 * (AUTH_CACHE_TTL_SECONDS) serves the viewer without SQL after the first request.
 */
const WALLET_CHECKOUT_STATEMENTS = 17;
/**
 * A guest's gateway checkout: the idempotency look-up, the transaction
 * (START, variant, order, item, transition, COMMIT), then the payment start:
 * its attempts read under the start lock, the attempt written, the gateway's
 * answer stored. The order just placed is not read again.
 */
const GATEWAY_CHECKOUT_STATEMENTS = 10;

describe("Checkout statement count", function () {
  this.timeout(120_000);
  let store: RunningStore;
  let variantId: string;
  let wallet: string;
  let buyer: TestAccount;
  let gateway: string;

  before(async () => {
    store = await startTestStore();
    variantId = (await sellable(store)).variant.id;
    wallet = await walletMethod(store);
    buyer = await registerAccount(store.url!, "counted");
    await fundWallet(store, buyer.id, 1_000_000);
    gateway = await createMethod(store, { gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS counted" });
  });
  after(() => stopStore(store));

  /**
   * The statements of the one HTTP request that created an order (a supplier
   * callback of an earlier order may be served meanwhile; the worker's jobs
   * share this DataSource too).
   */
  async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
    const logger = store.infra.dataSource.logger;
    const original = logger.logQuery.bind(logger);
    const byRequest = new Map<string, string[]>();
    logger.logQuery = (...args: Parameters<typeof logger.logQuery>) => {
      const scope = currentScope();
      if (scope && !scope.jobId) byRequest.set(scope.requestId, [...(byRequest.get(scope.requestId) ?? []), args[0]]);
      return original(...args);
    };
    try {
      await run();
    } finally {
      logger.logQuery = original;
    }
    const checkouts = [...byRequest.values()].filter((statements) => statements.some((sql) => sql.startsWith("INSERT INTO `orders`")));
    expect(checkouts).to.have.length(1);
    return checkouts[0];
  }

  const buy = async () => {
    const response = await checkout(store, { items: [{ variantId, quantity: 1, inputs: ML_INPUTS }], paymentMethod: wallet, idempotencyKey: ulid() }, buyer.accessToken);
    expect(response.errors).to.equal(undefined);
    expect(response.data!.checkout.alreadyPaid).to.equal(true);
  };

  const buyAsGuest = async () => {
    const response = await checkout(store, { items: [{ variantId, quantity: 1, inputs: ML_INPUTS }], contact: GUEST_CONTACT(), paymentMethod: gateway, idempotencyKey: ulid() });
    expect(response.errors).to.equal(undefined);
    expect(response.data!.checkout.payment.instructions.payUrl).to.be.a("string");
  };

  for (const [what, run, expected] of [
    ["a wallet checkout", buy, WALLET_CHECKOUT_STATEMENTS],
    ["a guest's gateway checkout", buyAsGuest, GATEWAY_CHECKOUT_STATEMENTS],
  ] as const) {
    it(`${what} issues exactly ${expected} statements, every time`, async () => {
      await run(); // warm: the payment methods and the session are cached in the process after the first request
      for (let i = 0; i < 2; i++) {
        const statements = await statementsOf(run);
        expect(statements.length, statements.join("\n")).to.equal(expected);
      }
    });
  }
});
