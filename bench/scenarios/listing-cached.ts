import { loadRow, unexpectedErrors, verdict, type Scenario } from "../lib/bench";
import type { Row } from "../lib/table";
import { CONNECTIONS, LISTING, PAGE, listingBody, listingOutcome, listingSetup } from "./listing-shared";

const RATIO_TARGET = 0.8;

interface Page {
  products: { items: { variants: { id: string; price: number }[] }[] };
}

/**
 * The same listing with the catalog cache on (the production setting), against
 * the in-memory resolver measured right before it; then an admin changes a
 * price through the API and the very next read must show it.
 */
export const listingCached: Scenario = {
  name: "listing-cached",
  title: "product listing, cached: capacity vs the in-memory resolver; a price change shows on the next request",
  async run(bench) {
    const store = await bench.store();
    const { member } = await listingSetup(store);
    await store.startApi();
    const bare = await bench.bareServer();
    const memberRequest = { body: listingBody(), headers: { authorization: `Bearer ${member.token}` } };
    const base = await bench.measure("in-memory listing", { url: bare.url, connections: CONNECTIONS, next: () => ({ body: listingBody() }), classify: listingOutcome });
    const full = await bench.measure("Lapak listing, cached", { url: store.graphqlUrl, connections: CONNECTIONS, next: () => memberRequest, classify: listingOutcome });
    const ratio = full.throughput / base.throughput;
    const rows: Row[] = [
      loadRow("listing-cached", "in-memory resolver (baseline)", base, { verdict: "INFO", apiPeakMb: undefined, workerPeakMb: undefined }),
      loadRow("listing-cached", `Lapak cached, ${PAGE}/page, capacity`, full, {
        ratio,
        target: `>= ${RATIO_TARGET * 100}% of baseline`,
        verdict: verdict(ratio >= RATIO_TARGET && unexpectedErrors(full) === 0),
      }),
    ];

    // a price change through the admin API is on the very next (cached) read
    const admin = await store.admin();
    const read = () => store.gql<Page>(LISTING, { first: PAGE }, member.token);
    const before = (await read()).products.items[0].variants[0];
    await read(); // surely cached now
    const pinned = before.price + 100;
    await store.gql(`mutation ($v: ID!, $p: SafeInt) { setVariantPrice(variantId: $v, levelCode: "MEMBER", price: $p) { id } }`, { v: before.id, p: pinned }, admin.token);
    const after = (await read()).products.items[0].variants.find((variant) => variant.id === before.id);
    await store.gql(`mutation ($v: ID!) { setVariantPrice(variantId: $v, levelCode: "MEMBER", price: null) { id } }`, { v: before.id }, admin.token);
    const restored = (await read()).products.items[0].variants.find((variant) => variant.id === before.id);
    rows.push({
      scenario: "listing-cached",
      measure: "price change visible on the next request",
      load: "1 change, 1 read",
      errors: "0",
      target: "new price at once",
      verdict: verdict(after?.price === pinned && restored?.price === before.price),
      note: `MEMBER price Rp${before.price} pinned to Rp${pinned}: next read Rp${after?.price}; unpinned: next read Rp${restored?.price}`,
    });
    return rows;
  },
};
