import { expect } from "chai";
import ExcelJS from "exceljs";
import { In } from "typeorm";
import { ulid } from "ulid";
import { sharedStore } from "../helpers/store";
import { serveWithTestViewers, type ViewerServer } from "../helpers/viewers";
import { errorCode, gql } from "../helpers/graphql";
import { Variant } from "../../src/modules/catalog/variant.entity";
import { VariantPrice } from "../../src/modules/pricing/variant-price.entity";
import { CategoryType, FileFormat, ImportMode } from "../../src/modules/catalog/catalog.enums";
import { ADMIN } from "./fixtures";

const HEADER = "category_slug,product_slug,product_name,variant_sku,variant_name,kind,supplier,supplier_sku,cost_price,stock,active,sort";
const IMPORT = `mutation ($f: FileFormat!, $c: String!, $m: ImportMode!) {
  importCatalog(format: $f, contentBase64: $c, mode: $m) { totalRows importedRows productsCreated variantsCreated variantsUpdated errors { row column message } }
}`;

describe("Bulk import and export of products and variants", function () {
  this.timeout(120_000);
  let api: ViewerServer;
  let slug: string;
  let tag: string;
  before(async () => {
    api = await serveWithTestViewers(await sharedStore());
    tag = ulid().slice(-8).toLowerCase();
    slug = `imp-${tag}`;
    await api.services.catalog.saveCategory(ADMIN, null, { name: "Import", slug, type: CategoryType.PULSA });
  });
  after(() => api.stop());

  const file = (lines: string[]) => Buffer.from([HEADER, ...lines].join("\n")).toString("base64");
  const variantsWithSku = async (skus: string[]) => (await sharedStore()).infra.dataSource.getRepository(Variant).find({ where: { sku: In(skus) } });

  function mixedFile() {
    const u = tag.toUpperCase();
    return {
      good: [`G1${u}`, `G2${u}`],
      content: file([
        `${slug},pulsa-a-${tag},Pulsa A,G1${u},A 10.000,SUPPLIER,digiflazz,G1${u},10400,,true,1`,
        `${slug},pulsa-a-${tag},Pulsa A,B1${u},A 20.000,SUPPLIER,digiflazz,,20400,,true,2`, // row 3: supplier sku missing
        `nope-${tag},pulsa-b-${tag},Pulsa B,B2${u},B 10.000,SUPPLIER,digiflazz,B2${u},10400,,true,1`, // row 4: unknown category
        `${slug},pulsa-a-${tag},Pulsa A,B3${u},A 50.000,SUPPLIER,digiflazz,B3${u},lima puluh,,true,3`, // row 5: cost not a number
        `${slug},pulsa-a-${tag},Pulsa A,G1${u},dup,SUPPLIER,digiflazz,X${u},10400,,true,1`, // row 6: SKU repeated
        `${slug},voucher-${tag},Voucher,G2${u},V 50.000,STOCK,,,47500,,true,1`,
        `${slug},voucher-${tag},Voucher,B4${u},V 100.000,TELEPORT,,,95000,,true,2`, // row 8: unknown kind
      ]),
    };
  }

  it("ALL_OR_NOTHING: reports every bad row and imports none", async () => {
    const { good, content } = mixedFile();
    const response = await gql(api.url, IMPORT, { f: "CSV", c: content, m: "ALL_OR_NOTHING" }, "admin");
    const report = response.data!.importCatalog;
    expect(report.totalRows).to.equal(7);
    expect(report.importedRows).to.equal(0);
    expect(report.errors.map((e: { row: number; column: string }) => [e.row, e.column])).to.deep.equal([
      [3, "supplier_sku"], [4, "category_slug"], [5, "cost_price"], [6, "variant_sku"], [8, "kind"],
    ]);
    expect(await variantsWithSku(good)).to.have.length(0);
  });

  it("GOOD_ROWS_ONLY: imports the good rows with prices for every level, reports the bad ones", async () => {
    const { good, content } = mixedFile();
    const response = await gql(api.url, IMPORT, { f: "CSV", c: content, m: "GOOD_ROWS_ONLY" }, "admin");
    const report = response.data!.importCatalog;
    expect(report).to.deep.include({ importedRows: 2, productsCreated: 2, variantsCreated: 2, variantsUpdated: 0 });
    expect(report.errors).to.have.length(5);
    const stored = await variantsWithSku(good);
    expect(stored.map((v) => v.sku).sort()).to.deep.equal([...good].sort());
    const prices = await (await sharedStore()).infra.dataSource.getRepository(VariantPrice).find({ where: { variantId: In(stored.map((v) => v.id)) } });
    expect(prices).to.have.length(8); // 2 variants × 4 levels
    // the same file again updates instead of duplicating
    const again = (await gql(api.url, IMPORT, { f: "CSV", c: content, m: "GOOD_ROWS_ONLY" }, "admin")).data!.importCatalog;
    expect(again).to.deep.include({ importedRows: 2, productsCreated: 0, variantsCreated: 0, variantsUpdated: 2 });
  });

  it("round-trips through an XLSX export and import", async () => {
    const exported = (await gql(api.url, `{ exportCatalog(format: XLSX) { filename contentBase64 rows } }`, {}, "admin")).data!.exportCatalog;
    expect(exported.filename).to.match(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(exported.contentBase64, "base64") as unknown as ArrayBuffer);
    expect(workbook.worksheets[0].rowCount).to.equal(exported.rows + 1);
    const report = await api.services.catalogImport.importCatalog(ADMIN, { format: FileFormat.XLSX, contentBase64: exported.contentBase64, mode: ImportMode.ALL_OR_NOTHING });
    expect(report.errors).to.deep.equal([]);
    expect(report).to.deep.include({ importedRows: exported.rows, variantsCreated: 0, variantsUpdated: exported.rows });
  });

  it("imports 10,000 rows in one go (batched)", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i += 1) lines.push(`${slug},bulk-${tag}-${Math.floor(i / 10)},Bulk ${Math.floor(i / 10)},K${tag}${i},Item ${i},SUPPLIER,digiflazz,K${tag}${i},${1000 + i},,true,${i % 10}`);
    const report = await api.services.catalogImport.importCatalog(ADMIN, { format: FileFormat.CSV, contentBase64: file(lines), mode: ImportMode.ALL_OR_NOTHING });
    expect(report.errors).to.deep.equal([]);
    expect(report).to.deep.include({ importedRows: 10_000, productsCreated: 1000, variantsCreated: 10_000 });
  });

  it("refuses a file that is not CSV, or lacks columns, with BAD_USER_INPUT", async () => {
    expect(errorCode(await gql(api.url, IMPORT, { f: "XLSX", c: Buffer.from("not a zip").toString("base64"), m: "ALL_OR_NOTHING" }, "admin"))).to.equal("BAD_USER_INPUT");
    expect(errorCode(await gql(api.url, IMPORT, { f: "CSV", c: Buffer.from("a,b\n1,2").toString("base64"), m: "ALL_OR_NOTHING" }, "admin"))).to.equal("BAD_USER_INPUT");
  });
});
