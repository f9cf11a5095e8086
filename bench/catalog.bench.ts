/**
 * Benchmark of the public catalog path: `npm run bench:catalog`.
 * Starts its own store on a fresh database (BENCH_DATABASE_URL, default
 * lapak_bench), imports BENCH_PRODUCTS products with 3 variants each, then
 * drives the listing query (50 products with variants and the viewer's price)
 * and a trivial query on the same server with autocannon (in its own process,
 * so the driver does not eat the server's CPU), and prints the ratio.
 * Numbers depend on the machine: compare ratios, not absolute values.
 */
import "reflect-metadata";
import { spawn } from "node:child_process";
import type { Result } from "autocannon";
import { startBenchStore } from "./bench-store";
import { CategoryType, FileFormat, ImportMode } from "../src/modules/catalog/catalog.enums";
import { compose } from "../src/composition-root";

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

const LISTING = `{ products(first: 50) { items { id name slug variants { id name price } } endCursor hasNextPage } }`;
const TRIVIAL = `{ serverInfo { name } }`;

async function main(): Promise<void> {
  const store = await startBenchStore("lapak_bench");
  try {
    const { services } = await compose(store.infra, { baseUrl: "", storeUrl: () => store.url ?? "" });
    const admin = { userId: null };
    await services.catalog.saveCategory(admin, null, { name: "Bench", slug: "bench", type: CategoryType.GAME });
    const rows = ["category_slug,product_slug,product_name,variant_sku,variant_name,kind,supplier,supplier_sku,cost_price,stock,active,sort"];
    for (let p = 0; p < PRODUCTS; p += 1) {
      for (let v = 0; v < 3; v += 1) rows.push(`bench,bench-${p},Produk ${p},B${p}V${v},Varian ${v},SUPPLIER,digiflazz,B${p}V${v},${10_000 + v * 5_000},,true,${v}`);
    }
    const report = await services.catalogImport.importCatalog(admin, { format: FileFormat.CSV, contentBase64: Buffer.from(rows.join("\n")).toString("base64"), mode: ImportMode.ALL_OR_NOTHING });
    console.log(`seeded ${report.productsCreated} products, ${report.variantsCreated} variants`);

    const results: { name: string; rps: number; p50: number; p99: number }[] = [];
    for (const [name, query] of [["trivial query", TRIVIAL], ["listing (50 products + prices)", LISTING]] as const) {
      const check = await fetch(`${store.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
      const body = (await check.json()) as { errors?: unknown };
      if (body.errors) throw new Error(`${name} failed: ${JSON.stringify(body.errors)}`);
      const result = await drive(`${store.url}/graphql`, JSON.stringify({ query }));
      if (result.non2xx > 0 || result.errors > 0) console.warn(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      results.push({ name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
    }
    console.log(`\n${CONNECTIONS} connections, ${SECONDS}s each`);
    for (const r of results) console.log(`${r.name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms`);
    const [trivial, listing] = results;
    console.log(`listing / trivial throughput ratio: ${(listing.rps / trivial.rps).toFixed(2)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let autocannon's last in-flight requests finish
  } finally {
    await store.stop();
  }
}

/** Runs the autocannon CLI in a child process and reads its JSON summary. */
function drive(url: string, body: string): Promise<Result> {
  const args = [require.resolve("autocannon/autocannon.js"), "-j", "-n", "-c", String(CONNECTIONS), "-d", String(SECONDS), "-m", "POST", "-H", "content-type=application/json", "-b", body, url];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out) as Result) : reject(new Error(`autocannon exited with ${code}`))));
  });
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
