import type { EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import type { PricingService } from "../pricing/pricing.service";
import { MarkupRule } from "../pricing/markup-rule.entity";
import { CategoryType, FulfilmentKind, InputFieldType } from "./catalog.enums";
import { Category } from "./category.entity";
import type { InputField } from "./input-schema";
import { Product } from "./product.entity";
import { Variant } from "./variant.entity";

// A believable Indonesian demo catalog. SUPPLIER variants carry the exact
// buyer_sku_code values the Digiflazz simulator's fixture also carries.

const PHONE: InputField[] = [{ key: "phone", label: "Nomor HP", type: InputFieldType.PHONE, required: true, placeholder: "0812xxxxxxxx" }];
const GAME_ID = (label = "User ID"): InputField => ({ key: "userId", label, type: InputFieldType.NUMBER, required: true, pattern: "[0-9]{5,12}" });

type V = [sku: string, name: string, cost: number, kind?: FulfilmentKind, stock?: number | null];
interface P { slug: string; name: string; description: string; inputs: InputField[]; template: string | null; variants: V[] }
const CATALOG: { slug: string; name: string; type: CategoryType; products: P[] }[] = [
  {
    slug: "games", name: "Top Up Game", type: CategoryType.GAME, products: [
      {
        slug: "mobile-legends", name: "Mobile Legends", description: "Top up Diamond Mobile Legends: Bang Bang, masuk dalam hitungan detik.",
        inputs: [GAME_ID(), { key: "zoneId", label: "Zone ID", type: InputFieldType.NUMBER, required: true, pattern: "[0-9]{2,6}" }],
        template: "{userId}{zoneId}",
        variants: [["ML86", "86 Diamonds", 19_800], ["ML172", "172 Diamonds", 39_400], ["ML257", "257 Diamonds", 58_900]],
      },
      { slug: "free-fire", name: "Free Fire", description: "Diamond Free Fire resmi, proses otomatis.", inputs: [GAME_ID("Player ID")], template: "{userId}", variants: [["FF70", "70 Diamonds", 9_400], ["FF140", "140 Diamonds", 18_700]] },
      {
        slug: "genshin-impact", name: "Genshin Impact", description: "Genesis Crystal Genshin Impact.",
        inputs: [
          { key: "uid", label: "UID", type: InputFieldType.NUMBER, required: true, pattern: "[0-9]{9,10}" },
          { key: "server", label: "Server", type: InputFieldType.SELECT, required: true, options: [{ value: "os_asia", label: "Asia" }, { value: "os_usa", label: "America" }, { value: "os_euro", label: "Europe" }, { value: "os_cht", label: "TW, HK, MO" }] },
        ],
        template: "{uid}|{server}",
        variants: [["GI60", "60 Genesis Crystals", 12_300]],
      },
      { slug: "pubg-mobile", name: "PUBG Mobile", description: "Unknown Cash (UC) PUBG Mobile Indonesia.", inputs: [GAME_ID("Player ID")], template: "{userId}", variants: [["PUBG60", "60 UC", 14_100]] },
    ],
  },
  {
    slug: "pulsa", name: "Pulsa", type: CategoryType.PULSA, products: [
      { slug: "pulsa-telkomsel", name: "Pulsa Telkomsel", description: "Pulsa reguler Telkomsel (simPATI, Kartu As, by.U).", inputs: PHONE, template: "{phone}", variants: [["TSEL10", "Telkomsel 10.000", 10_400], ["TSEL25", "Telkomsel 25.000", 24_950], ["TSEL50", "Telkomsel 50.000", 49_450]] },
      { slug: "pulsa-indosat", name: "Pulsa Indosat", description: "Pulsa reguler Indosat Ooredoo (IM3).", inputs: PHONE, template: "{phone}", variants: [["ISAT10", "Indosat 10.000", 10_650], ["ISAT25", "Indosat 25.000", 25_100]] },
      { slug: "pulsa-xl", name: "Pulsa XL", description: "Pulsa reguler XL Axiata.", inputs: PHONE, template: "{phone}", variants: [["XL10", "XL 10.000", 10_550], ["XL25", "XL 25.000", 24_900]] },
    ],
  },
  {
    slug: "paket-data", name: "Paket Data", type: CategoryType.DATA, products: [
      { slug: "data-telkomsel", name: "Data Telkomsel", description: "Paket internet Telkomsel.", inputs: PHONE, template: "{phone}", variants: [["TSELDATA5GB", "Telkomsel 5 GB / 30 hari", 44_500]] },
      { slug: "data-xl", name: "Data XL", description: "Paket internet XL Xtra Combo.", inputs: PHONE, template: "{phone}", variants: [["XLDATA10GB", "XL 10 GB / 30 hari", 58_500]] },
    ],
  },
  {
    slug: "pln", name: "Token PLN", type: CategoryType.PLN, products: [
      {
        slug: "token-pln", name: "Token Listrik PLN", description: "Token listrik prabayar; token dikirim sebagai SN.",
        inputs: [{ key: "meterNo", label: "Nomor Meter / ID Pelanggan", type: InputFieldType.NUMBER, required: true, pattern: "[0-9]{11,12}" }],
        template: "{meterNo}",
        variants: [["PLN20", "Token 20.000", 20_250], ["PLN50", "Token 50.000", 50_250], ["PLN100", "Token 100.000", 100_250]],
      },
    ],
  },
  {
    slug: "e-wallet", name: "E-Wallet", type: CategoryType.EWALLET, products: [
      { slug: "dana", name: "Saldo DANA", description: "Isi saldo DANA.", inputs: PHONE, template: "{phone}", variants: [["DANA50", "DANA 50.000", 50_750]] },
      { slug: "ovo", name: "Saldo OVO", description: "Isi saldo OVO Cash.", inputs: PHONE, template: "{phone}", variants: [["OVO50", "OVO 50.000", 50_900]] },
      { slug: "gopay", name: "Saldo GoPay", description: "Isi saldo GoPay customer.", inputs: PHONE, template: "{phone}", variants: [["GOPAY50", "GoPay 50.000", 50_850]] },
    ],
  },
  {
    slug: "voucher", name: "Voucher", type: CategoryType.VOUCHER, products: [
      { slug: "voucher-google-play", name: "Voucher Google Play", description: "Kode voucher Google Play Indonesia, dikirim dari stok toko.", inputs: [], template: null, variants: [["GPLAY50", "Google Play 50.000", 47_500, FulfilmentKind.STOCK]] },
    ],
  },
  {
    slug: "akun-premium", name: "Akun Premium", type: CategoryType.PREMIUM_ACCOUNT, products: [
      {
        slug: "youtube-premium", name: "YouTube Premium", description: "Undangan ke family plan YouTube Premium selama 1 bulan.",
        inputs: [{ key: "email", label: "Email akun Google", type: InputFieldType.EMAIL, required: true }], template: "{email}",
        variants: [["YTP1M", "YouTube Premium 1 Bulan", 12_000, FulfilmentKind.INVITE]],
      },
    ],
  },
  {
    slug: "merchandise", name: "Merchandise", type: CategoryType.PHYSICAL, products: [
      { slug: "mousepad-gaming", name: "Mousepad Gaming Lapak XL", description: "Mousepad 90×40 cm, dikirim dari Jakarta.", inputs: [], template: null, variants: [["MPAD-XL", "Mousepad XL Hitam", 65_000, FulfilmentKind.PHYSICAL, 25]] },
    ],
  },
  {
    slug: "hosting", name: "Hosting", type: CategoryType.HOSTING, products: [
      {
        slug: "hosting-starter", name: "Hosting Starter", description: "cPanel hosting 2 GB NVMe, SSL gratis, bulanan.",
        inputs: [{ key: "domain", label: "Nama domain", type: InputFieldType.TEXT, required: true, pattern: "[a-z0-9-]+(\\.[a-z0-9-]+)+" }], template: "{domain}",
        variants: [["HOST-STARTER-1M", "Starter 1 Bulan", 15_000, FulfilmentKind.SUBSCRIPTION]],
      },
    ],
  },
];

/** Store-wide markup per level: retail pays most, resellers least (basis points + rupiah). */
const MARKUPS: [level: string, percentBp: number, fixed: number][] = [
  ["RETAIL", 500, 500],
  ["MEMBER", 300, 300],
  ["VIP", 200, 200],
  ["RESELLER", 100, 100],
];

export async function seedCatalog(manager: EntityManager, services: { pricing: PricingService }): Promise<void> {
  const variantIds: string[] = [];
  let categorySort = 0;
  for (const category of CATALOG) {
    const categoryId = newId();
    await manager.insert(Category, { id: categoryId, name: category.name, slug: category.slug, type: category.type, imageUrl: `/images/categories/${category.slug}.png`, sort: (categorySort += 10), active: true });
    let productSort = 0;
    for (const product of category.products) {
      const productId = newId();
      await manager.insert(Product, {
        id: productId, name: product.name, slug: product.slug, categoryId, imageUrl: `/images/products/${product.slug}.png`, description: product.description,
        sort: (productSort += 10), active: true, inputSchema: product.inputs, customerNoTemplate: product.template,
      });
      let variantSort = 0;
      for (const [sku, name, cost, kind = FulfilmentKind.SUPPLIER, stock = null] of product.variants) {
        const id = newId();
        variantIds.push(id);
        const supplier = kind === FulfilmentKind.SUPPLIER;
        await manager.insert(Variant, {
          id, productId, name, sku, kind, supplier: supplier ? "digiflazz" : null, supplierSku: supplier ? sku : null,
          costPrice: cost, stock, active: true, supplierActive: true, sort: (variantSort += 10), priceReview: false, previousCostPrice: null,
        });
      }
    }
  }
  for (const [levelCode, percentBp, fixedAmount] of MARKUPS) {
    await manager.insert(MarkupRule, { id: newId(), categoryId: "*", levelCode, percentBp, fixedAmount });
  }
  await services.pricing.recomputeForVariants(manager, variantIds);
}
