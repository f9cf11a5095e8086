import { expect } from "chai";
import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import { currentScope } from "../../src/core/request-context";
import { registerAccount, type TestAccount } from "../helpers/identity";
import { startTestStore, stopStore } from "../helpers/store";
import { ML_INPUTS, checkout, fundWallet, sellable, walletMethod } from "./checkout-fixtures";

/**
 * The SQL statements of one wallet checkout, counted exactly: on this path
 * every statement costs a socket write, so a new one is a throughput
 * regression (docs/performance.md). Sign-in is warm: the session cache
 * (AUTH_CACHE_TTL_SECONDS) serves the viewer without SQL after the first request.
 */
const WALLET_CHECKOUT_STATEMENTS = 17;

describe("Checkout statement count", function () {
  this.timeout(120_000);
  let store: RunningStore;
  let variantId: string;
  let wallet: string;
  let buyer: TestAccount;

  before(async () => {
    store = await startTestStore();
    variantId = (await sellable(store)).variant.id;
    wallet = await walletMethod(store);
    buyer = await registerAccount(store.url!, "counted");
    await fundWallet(store, buyer.id, 1_000_000);
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

  it(`a wallet checkout issues exactly ${WALLET_CHECKOUT_STATEMENTS} statements, every time`, async () => {
    await buy(); // warm: the payment methods and the session are cached in the process after the first request
    for (let i = 0; i < 2; i++) {
      const statements = await statementsOf(buy);
      expect(statements.length, statements.join("\n")).to.equal(WALLET_CHECKOUT_STATEMENTS);
    }
  });
});
