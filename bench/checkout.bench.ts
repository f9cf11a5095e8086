/**
 * Benchmark of the wallet checkout: `npm run bench:checkout`.
 * Starts its own store on a fresh database (BENCH_DATABASE_URL, default
 * lapak_bench_checkout), seeds one product, a WALLET payment method and
 * BENCH_BUYERS members (signed in over HTTP) with enough balance, then runs
 * BENCH_BUYERS concurrent buyers, each placing wallet checkouts back to back
 * for BENCH_SECONDS, and prints throughput and p50/p99 latency. It stops by
 * itself. Numbers depend on the machine.
 */
import "reflect-metadata";
import { ulid } from "ulid";
import { startBenchStore } from "./bench-store";
import { CategoryType, FulfilmentKind, InputFieldType } from "../src/modules/catalog/catalog.enums";
import { FeeBearer } from "../src/modules/payments/payment-method.entity";
import { BalanceMutationType } from "../src/modules/wallet/balance-mutation.entity";
import { WalletService } from "../src/modules/wallet/wallet.service";

const BUYERS = Number(process.env.BENCH_BUYERS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const BALANCE = 1_000_000_000;

const CHECKOUT = `mutation ($input: CheckoutInputType!) { checkout(input: $input) { alreadyPaid order { id total } } }`;

async function gql(url: string, query: string, variables: unknown, token?: string): Promise<any> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

async function main(): Promise<void> {
  const store = await startBenchStore("lapak_bench_checkout", { BCRYPT_COST: "4" });
  try {
    const url = store.url!;
    const { services } = store.composition;
    const admin = { userId: null };
    const category = await services.catalog.saveCategory(admin, null, { name: "Bench", slug: "bench", type: CategoryType.GAME });
    const product = await services.catalog.saveProduct(admin, null, {
      name: "Bench Game", slug: "bench-game", categoryId: category.id,
      inputSchema: [{ key: "userId", label: "User ID", type: InputFieldType.NUMBER, required: true, pattern: "[0-9]{5,12}" }],
      customerNoTemplate: "{userId}",
    });
    const variant = await services.catalog.saveVariant(admin, null, {
      productId: product.id, name: "86 Diamonds", sku: "BENCH86", kind: FulfilmentKind.SUPPLIER, supplier: "digiflazz", supplierSku: "BENCH86", costPrice: 19_800, sort: 0,
    });
    await services.payments.saveMethod(null, {
      code: "WALLET", gateway: "WALLET", channel: "BALANCE", displayName: "Saldo", feeFlat: 0, feePercentBp: 0, feeBearer: FeeBearer.MERCHANT,
      minAmount: 1, maxAmount: 100_000_000, active: true, sort: 0,
    }, null);

    const wallet = new WalletService(store.infra.dataSource, services.audit);
    const tokens: string[] = [];
    for (let i = 0; i < BUYERS; i++) {
      const registered = await gql(url, `mutation ($input: RegisterInput!) { register(input: $input) { accessToken account { id } } }`, {
        input: { name: `Bench ${i}`, email: `bench.${i}.${ulid().toLowerCase()}@example.test`, password: "rahasia-123" },
      });
      if (registered.errors) throw new Error(`register failed: ${JSON.stringify(registered.errors)}`);
      const { accessToken, account } = registered.data.register;
      await store.infra.dataSource.transaction((m) =>
        wallet.credit(m, { userId: account.id, amount: BALANCE, type: BalanceMutationType.TOPUP, referenceType: "BENCH", referenceId: ulid() }),
      );
      tokens.push(accessToken);
    }
    console.log(`seeded ${BUYERS} members with Rp${BALANCE} each; ${BUYERS} concurrent buyers for ${SECONDS}s`);

    const latencies: number[] = [];
    let failures = 0;
    const until = Date.now() + SECONDS * 1000;
    const started = Date.now();
    await Promise.all(
      tokens.map(async (token) => {
        while (Date.now() < until) {
          const t0 = performance.now();
          const answer = await gql(url, CHECKOUT, { input: { items: [{ variantId: variant.id, quantity: 1, inputs: { userId: "123456" } }], paymentMethod: "WALLET", idempotencyKey: ulid() } }, token);
          latencies.push(performance.now() - t0);
          if (answer.errors || !answer.data?.checkout?.alreadyPaid) failures++;
        }
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const [ledger] = await store.infra.dataSource.query("SELECT (SELECT COALESCE(SUM(balance), 0) FROM wallets) AS balances, (SELECT COALESCE(SUM(amount), 0) FROM balance_mutations) AS ledger");
    console.log(`wallet checkouts: ${latencies.length} in ${elapsed.toFixed(1)}s = ${(latencies.length / elapsed).toFixed(1)}/s, failures ${failures}`);
    console.log(`latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`);
    console.log(`wallet balances ${ledger.balances} = ledger sum ${ledger.ledger}: ${String(ledger.balances) === String(ledger.ledger)}`);
  } finally {
    await store.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
