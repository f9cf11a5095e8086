/**
 * Baseline server of the benchmark: Apollo Server on Express 5 (the same
 * versions as Lapak) with no shield, context, loaders, limits or logging.
 * `{ hello }` is the trivial-query baseline; `products(first)` answers the
 * listing's shape from 5,000 in-memory products (3 variants each, priced).
 * Prints "listening <port>".
 */
import http from "node:http";
import express from "express";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";

const typeDefs = `
  type Query {
    hello: String!
    products(first: Int = 20, after: String): ProductConnection!
  }
  type ProductConnection { items: [Product!]! endCursor: String hasNextPage: Boolean! }
  type Product { id: ID! name: String! slug: String! category: Category variants: [Variant!]! }
  type Category { slug: String! type: String! }
  type Variant { id: ID! name: String! kind: String! price: Int }
`;

const category = { slug: "bench", type: "GAME" };
const products = Array.from({ length: 5000 }, (_, p) => ({
  id: `01BENCHPRODUCT${String(p).padStart(12, "0")}`,
  name: `Produk ${p}`,
  slug: `bench-${p}`,
  category,
  variants: [0, 1, 2].map((v) => ({ id: `01BENCHVARIANT${String(p * 3 + v).padStart(12, "0")}`, name: `Varian ${v}`, kind: "SUPPLIER", price: 11_000 + v * 5_500 })),
}));

const resolvers = {
  Query: {
    hello: () => "world",
    products: (_root: unknown, args: { first: number; after?: string | null }) => {
      const start = args.after ? Number(args.after) : 0;
      const items = products.slice(start, start + args.first);
      return { items, endCursor: String(start + items.length), hasNextPage: start + items.length < products.length };
    },
  },
};

async function main(): Promise<void> {
  const app = express();
  const server = http.createServer(app);
  const apollo = new ApolloServer({ typeDefs, resolvers });
  await apollo.start();
  app.use("/graphql", express.json(), expressMiddleware(apollo));
  server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as { port: number }).port}`));
  process.on("SIGTERM", () => void apollo.stop().then(() => process.exit(0)));
}

void main();
