import type { EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import { Banner, Faq, SeoMeta, SocialLink } from "./cms.entities";

/** Demo storefront content (sandbox): banners, FAQs, SEO for the home page, social links. */
export async function seedCms(manager: EntityManager): Promise<void> {
  await manager.insert(Banner, [
    { id: newId(), title: "Top up Mobile Legends, diamond masuk detik itu juga", imageUrl: "/images/banners/mlbb.jpg", linkUrl: "/p/mobile-legends", placement: "home-hero", sort: 10, active: true, startsAt: null, endsAt: null },
    { id: newId(), title: "Token PLN 24 jam", imageUrl: "/images/banners/pln.jpg", linkUrl: "/p/token-pln", placement: "home-hero", sort: 20, active: true, startsAt: null, endsAt: null },
    { id: newId(), title: "Daftar member, harga lebih murah", imageUrl: "/images/banners/member.jpg", linkUrl: "/daftar", placement: "home-strip", sort: 10, active: true, startsAt: null, endsAt: null },
  ]);
  const faqs: [string, string, string][] = [
    ["Pembayaran", "Metode pembayaran apa saja yang tersedia?", "QRIS, virtual account bank, e-wallet, transfer manual, dan saldo akun."],
    ["Pembayaran", "Berapa lama batas waktu pembayaran?", "Pesanan yang belum dibayar kedaluwarsa setelah 60 menit."],
    ["Pesanan", "Berapa lama pesanan diproses?", "Top up game, pulsa, dan token PLN biasanya selesai dalam 1–5 menit setelah pembayaran diterima."],
    ["Pesanan", "Pesanan gagal, bagaimana dengan dana saya?", "Pesanan yang gagal dikembalikan otomatis ke saldo akun atau ke metode pembayaran Anda."],
    ["Akun", "Apa keuntungan menjadi member?", "Member mendapat harga khusus, poin, dan riwayat transaksi."],
  ];
  await manager.insert(Faq, faqs.map(([groupName, question, answer], index) => ({ id: newId(), groupName, question, answer, sort: index * 10, active: true })));
  await manager.insert(SeoMeta, {
    id: newId(), path: "/", title: "Lapak — Top Up Game, Pulsa, Token PLN Murah & Cepat",
    description: "Top up Mobile Legends, Free Fire, pulsa, paket data, token PLN, dan e-wallet. Proses otomatis 24 jam.",
    imageUrl: "/images/og.jpg", canonicalUrl: "https://lapak.test/",
  });
  await manager.insert(SocialLink, [
    { id: newId(), platform: "instagram", url: "https://instagram.com/lapak.id", sort: 10 },
    { id: newId(), platform: "tiktok", url: "https://tiktok.com/@lapak.id", sort: 20 },
    { id: newId(), platform: "whatsapp", url: "https://wa.me/6281234567890", sort: 30 },
  ]);
}
