import { ulid } from "ulid";
import { mlInputs, nextUnique, tally, walletBalance } from "../lib/orders";
import { Checks, type Drill } from "../lib/report";
import type { Rng } from "../lib/rng";
import type { DrillStore } from "../lib/store";
import { adjustWallet, checkout, codeOf, must, register, sleep, type Account, type CheckoutRequest } from "../lib/workload";

const LIMIT = 10;
/** refusals a client can act on; anything else (INTERNAL_SERVER_ERROR, no answer) is not clean */
const CLEAN = ["BAD_USER_INPUT", "CONFLICT"];

interface Burst {
  successes: number;
  codes: string[];
  orderIds: string[];
}

/**
 * 10. Many buyers at once for something of which exactly ten are left: the
 * last 10 units of a counted variant, a voucher with 10 uses left, and a
 * wallet holding exactly 10× the price (one member, many parallel checkouts).
 * Every round: exactly 10 succeed, the rest are refused cleanly
 * (BAD_USER_INPUT / CONFLICT), nothing goes past its limit.
 */
export const lastUnitsDrill: Drill = {
  id: 10,
  name: "last-units",
  title: "500 buyers for the last 10 units, voucher uses and wallet money",
  async run({ store, rng, quick, log }) {
    const c = new Checks();
    const buyers = quick ? 100 : 500;
    const rounds = quick ? 3 : 20;
    const jitterMs = 150;
    const mlVariant = await store.variantId("ML86");
    const stockVariant = await store.variantId("GPLAY50");
    c.inFlight = buyers;
    c.inject(`${rounds} rounds × 3 races × ${buyers} concurrent checkouts, each delayed by a seeded 0–${jitterMs} ms jitter`);

    const results = { stock: [] as Burst[], voucher: [] as Burst[], wallet: [] as Burst[] };
    const balances: number[] = [];
    const stockLeft: number[] = [];
    const voucherUses: { used: number; reserved: number }[] = [];
    for (let round = 0; round < rounds; round++) {
      const r = rng.fork(`round-${round}`);
      // the last 10 units of a counted variant, guests paying by manual transfer
      await store.query("UPDATE product_variants SET stock = ? WHERE id = ?", [LIMIT, stockVariant]);
      results.stock.push(await burst(store, r.fork("stock"), buyers, jitterMs, () => ({ variantId: stockVariant, paymentMethod: "MANUAL_BCA" })));
      const [left] = await store.query<{ stock: number }>("SELECT stock FROM product_variants WHERE id = ?", [stockVariant]);
      stockLeft.push(Number(left.stock));

      // a voucher with 10 uses left
      const code = `DRILL${ulid().slice(-10)}`;
      await must(store.url, `mutation ($input: VoucherInput!) { createVoucher(input: $input) { id } }`, {
        input: { code, name: "Drill last uses", kind: "FIXED", value: 1_000, totalLimit: LIMIT, isPublic: false },
      }, store.admin.token);
      results.voucher.push(await burst(store, r.fork("voucher"), buyers, jitterMs, () => ({ variantId: mlVariant, inputs: mlInputs("succeeds", nextUnique()), paymentMethod: "MANUAL_BCA", voucherCode: code })));
      const [uses] = await store.query<{ used: number; reserved: number }>(
        "SELECT v.used_count AS used, (SELECT COUNT(*) FROM voucher_usages u WHERE u.voucher_id = v.id AND u.status IN ('RESERVED','USED')) AS reserved FROM vouchers v WHERE v.code = ?",
        [code],
      );
      voucherUses.push({ used: Number(uses.used), reserved: Number(uses.reserved) });

      // a wallet holding exactly 10× the price, spent by one member from many parallel checkouts
      const member = await register(store.url, `drill10r${round}`);
      const price = await memberPrice(store, member, "ML86");
      await adjustWallet(store.url, store.admin, member.id, LIMIT * price);
      results.wallet.push(await burst(store, r.fork("wallet"), buyers, jitterMs, () => ({ variantId: mlVariant, inputs: mlInputs("succeeds", nextUnique()), paymentMethod: "WALLET", token: member.token })));
      balances.push(await walletBalance(store, member.id));
      log(`drill 10: round ${round + 1}/${rounds}: successes stock ${results.stock.at(-1)!.successes}, voucher ${results.voucher.at(-1)!.successes}, wallet ${results.wallet.at(-1)!.successes}`);
    }

    for (const [race, bursts] of Object.entries(results)) {
      c.equal(`${race}: exactly ${LIMIT} successes in every round`, bursts.map((b) => b.successes), bursts.map(() => LIMIT));
      const unclean = bursts.flatMap((b) => b.codes.filter((code) => !CLEAN.includes(code)));
      c.none(`${race}: every other buyer refused cleanly (${CLEAN.join(" / ")})`, unclean, bursts.reduce((n, b) => n + b.codes.length, 0));
      c.note(`${race} refusals: ${tally(bursts.flatMap((b) => b.codes))}`);
    }
    c.equal("stock: 0 units left after every round (never below)", stockLeft, stockLeft.map(() => 0));
    c.equal("voucher: 10 uses taken after every round, never more", voucherUses.map((u) => Math.max(u.used, u.reserved)), voucherUses.map(() => LIMIT));
    c.equal("wallet: ends at 0 after every round", balances, balances.map(() => 0));
    const orderIds = Object.values(results).flatMap((bursts) => bursts.flatMap((b) => b.orderIds));
    const [orders] = await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM orders WHERE id IN (?)", [orderIds.length ? orderIds : [""]]);
    c.equal("one order per success, none for a refusal", Number(orders.n), rounds * 3 * LIMIT);
    return c.result();
  },
};

/** `count` checkouts at once (after a seeded jitter each); who got an order, and the codes of the rest. */
async function burst(store: DrillStore, rng: Rng, count: number, jitterMs: number, request: () => CheckoutRequest): Promise<Burst> {
  const delays = Array.from({ length: count }, () => rng.int(0, jitterMs));
  const requests = delays.map(() => request());
  const answers = await Promise.all(
    requests.map(async (req, i) => {
      await sleep(delays[i]);
      return checkout(store.url, req, 60_000);
    }),
  );
  const orderIds = answers.filter((a) => a.placed && !a.response.errors).map((a) => a.placed!.orderId);
  const codes = answers.filter((a) => !a.placed || a.response.errors).map((a) => codeOf(a.response) ?? "NO_CODE");
  return { successes: orderIds.length, codes, orderIds };
}

async function memberPrice(store: DrillStore, member: Account, sku: string): Promise<number> {
  const data = await must(store.url, `{ productBySlug(slug: "mobile-legends") { variants { sku price } } }`, {}, member.token);
  const variant = (data.productBySlug.variants as { sku: string; price: number }[]).find((v) => v.sku === sku);
  if (!variant) throw new Error(`no price for ${sku}`);
  return variant.price;
}
