import bcrypt from "bcrypt";
import type { EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import { MemberLevel } from "./member-level.entity";
import { Role } from "./role";
import { CustomerType, User } from "./user.entity";
import { UserRole } from "./user-role.entity";

/** Demo-only password for every seeded account (documented in the README). */
export const DEMO_PASSWORD = "demo12345";

export const DEMO_ACCOUNTS: { email: string; name: string; roles: Role[]; level: string; customerType?: CustomerType }[] = [
  { email: "admin@lapak.test", name: "Admin Lapak", roles: [Role.ADMIN], level: "RETAIL" },
  { email: "verifier@lapak.test", name: "Sari (CS verifikasi)", roles: [Role.CS_VERIFIER], level: "RETAIL" },
  { email: "fulfiller@lapak.test", name: "Andi (CS pengiriman)", roles: [Role.CS_FULFILLER], level: "RETAIL" },
  { email: "billing@lapak.test", name: "Rina (billing)", roles: [Role.BILLING], level: "RETAIL" },
  { email: "support@lapak.test", name: "Dewi (support)", roles: [Role.SUPPORT], level: "RETAIL" },
  { email: "member@lapak.test", name: "Budi Santoso", roles: [Role.CUSTOMER], level: "MEMBER" },
  { email: "vip@lapak.test", name: "Citra Lestari", roles: [Role.CUSTOMER], level: "VIP" },
  { email: "reseller@lapak.test", name: "Toko Pulsa Makmur", roles: [Role.CUSTOMER], level: "RESELLER", customerType: CustomerType.RESELLER },
];

export async function seedIdentity(manager: EntityManager, bcryptCost: number): Promise<void> {
  const levels = new Map((await manager.find(MemberLevel)).map((level) => [level.code, level.id]));
  const passwordHash = await bcrypt.hash(DEMO_PASSWORD, bcryptCost);
  for (const account of DEMO_ACCOUNTS) {
    const userId = newId();
    await manager.insert(User, {
      id: userId,
      email: account.email,
      name: account.name,
      passwordHash,
      whatsapp: null,
      levelId: levels.get(account.level)!,
      customerType: account.customerType ?? CustomerType.RETAIL,
    });
    await manager.insert(
      UserRole,
      account.roles.map((role) => ({ id: newId(), userId, role })),
    );
  }
}
