/**
 * The simulator's price list, in Digiflazz's exact field shapes
 * (providers/digiflazz.md §2.2). The buyer_sku_code values are the ones the
 * catalog's demo seed uses; `xld10` is the SKU of Digiflazz's own examples.
 */
export interface PrepaidProduct {
  product_name: string;
  category: string;
  brand: string;
  type: string;
  seller_name: string;
  price: number;
  buyer_sku_code: string;
  buyer_product_status: boolean;
  seller_product_status: boolean;
  unlimited_stock: boolean;
  stock: number;
  multi: boolean;
  start_cut_off: string;
  end_cut_off: string;
  desc: string;
}

export interface PostpaidProduct {
  product_name: string;
  category: string;
  brand: string;
  seller_name: string;
  admin: number;
  commission: number;
  buyer_sku_code: string;
  buyer_product_status: boolean;
  seller_product_status: boolean;
  desc: string;
}

const prepaid = (
  buyer_sku_code: string,
  product_name: string,
  category: string,
  brand: string,
  price: number,
  desc: string,
  extra: Partial<PrepaidProduct> = {},
): PrepaidProduct => ({
  product_name,
  category,
  brand,
  type: "Umum",
  seller_name: "SimSeller",
  price,
  buyer_sku_code,
  buyer_product_status: true,
  seller_product_status: true,
  unlimited_stock: true,
  stock: 0,
  multi: true,
  start_cut_off: "23:45",
  end_cut_off: "00:15",
  desc,
  ...extra,
});

const PHONE = "Masukkan nomor HP, contoh 081234567890";
const GAME_ML = "Masukkan User ID + Zone ID digabung, contoh 12345678 + 1234 = 123456781234";

export function prepaidFixture(): PrepaidProduct[] {
  return [
    prepaid("ML86", "Mobile Legends 86 Diamonds", "Games", "MOBILE LEGENDS", 19_500, GAME_ML),
    prepaid("ML172", "Mobile Legends 172 Diamonds", "Games", "MOBILE LEGENDS", 39_000, GAME_ML),
    prepaid("ML257", "Mobile Legends 257 Diamonds", "Games", "MOBILE LEGENDS", 58_500, GAME_ML),
    prepaid("FF70", "Free Fire 70 Diamonds", "Games", "FREE FIRE", 9_500, "Masukkan Player ID"),
    prepaid("FF140", "Free Fire 140 Diamonds", "Games", "FREE FIRE", 19_000, "Masukkan Player ID"),
    prepaid("GI60", "Genshin Impact 60 Genesis Crystals", "Games", "GENSHIN IMPACT", 12_500, "Masukkan UID + server, contoh 800123456os_asia"),
    prepaid("PUBG60", "PUBG Mobile 60 UC", "Games", "PUBG MOBILE", 13_500, "Masukkan Character ID"),
    prepaid("TSEL10", "Telkomsel 10.000", "Pulsa", "TELKOMSEL", 10_400, PHONE),
    prepaid("TSEL25", "Telkomsel 25.000", "Pulsa", "TELKOMSEL", 25_100, PHONE),
    prepaid("TSEL50", "Telkomsel 50.000", "Pulsa", "TELKOMSEL", 49_800, PHONE),
    prepaid("ISAT10", "Indosat 10.000", "Pulsa", "INDOSAT", 10_900, PHONE),
    prepaid("ISAT25", "Indosat 25.000", "Pulsa", "INDOSAT", 25_200, PHONE),
    prepaid("XL10", "Xl 10.000", "Pulsa", "XL", 10_750, PHONE),
    prepaid("XL25", "Xl 25.000", "Pulsa", "XL", 24_950, PHONE),
    prepaid("xld10", "Xl 10.000 (contoh dokumentasi)", "Pulsa", "XL", 10_000, PHONE),
    prepaid("TSELDATA5GB", "Telkomsel Data 5 GB 30 Hari", "Data", "TELKOMSEL", 52_000, PHONE),
    prepaid("XLDATA10GB", "XL Data Xtra Combo 10 GB 30 Hari", "Data", "XL", 64_000, PHONE, { multi: false }),
    prepaid("PLN20", "Token PLN 20.000", "PLN", "PLN", 20_150, "Masukkan nomor meter / ID pelanggan", { start_cut_off: "23:00", end_cut_off: "01:00" }),
    prepaid("PLN50", "Token PLN 50.000", "PLN", "PLN", 50_150, "Masukkan nomor meter / ID pelanggan", { start_cut_off: "23:00", end_cut_off: "01:00" }),
    prepaid("PLN100", "Token PLN 100.000", "PLN", "PLN", 100_150, "Masukkan nomor meter / ID pelanggan", { start_cut_off: "23:00", end_cut_off: "01:00" }),
    prepaid("DANA50", "DANA 50.000", "E-Money", "DANA", 50_350, PHONE),
    prepaid("OVO50", "OVO 50.000", "E-Money", "OVO", 50_500, PHONE, { unlimited_stock: false, stock: 250 }),
    prepaid("GOPAY50", "GoPay 50.000", "E-Money", "GO PAY", 50_750, PHONE),
  ];
}

export function postpaidFixture(): PostpaidProduct[] {
  const postpaid = (buyer_sku_code: string, product_name: string, brand: string, admin: number, commission: number, desc: string): PostpaidProduct => ({
    product_name,
    category: "Pascabayar",
    brand,
    seller_name: "SimSeller",
    admin,
    commission,
    buyer_sku_code,
    buyer_product_status: true,
    seller_product_status: true,
    desc,
  });
  return [
    postpaid("pln", "PLN Pascabayar", "PLN PASCABAYAR", 2_500, 1_200, "Masukkan ID pelanggan PLN"),
    postpaid("pdam", "PDAM Kota Bandung", "PDAM", 2_500, 800, "Masukkan nomor sambungan PDAM"),
  ];
}
