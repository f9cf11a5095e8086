import { graphqlBody } from "../lib/bench";
import type { Outcome } from "../lib/driver";
import type { BenchStore, Member } from "../lib/store";

/** The storefront's product listing: one page with category, variants and the viewer's price. */
export const LISTING = `query ($first: Int!) {
  products(first: $first) {
    items { id name slug category { slug type } variants { id name kind price } }
    endCursor hasNextPage
  }
}`;

export const PAGE = 50;
export const CONNECTIONS = 20;

export const listingBody = (first = PAGE) => graphqlBody(LISTING, { first });

/** The 5,000-product catalog and a signed-in member of level MEMBER (prices of that level). */
export function listingSetup(store: BenchStore): Promise<{ member: Member }> {
  return store.once("listing-member", async () => {
    await store.catalog(5000);
    const admin = await store.admin();
    const member = await store.register("viewer");
    await store.gql(`mutation ($id: ID!) { setUserLevel(userId: $id, levelCode: "MEMBER") { id } }`, { id: member.id }, admin.token);
    return { member };
  });
}

/** A listing answer is ok when it carries a full page with priced variants. */
export function listingOutcome(status: number, body: string): Outcome {
  if (status !== 200 || body.includes('"errors"')) return `error:${/"code":"([A-Z_]+)"/.exec(body)?.[1] ?? `HTTP_${status}`}`;
  return body.includes('"price":null') || !body.includes('"hasNextPage":true') ? "error:INCOMPLETE_PAGE" : "ok";
}
