import type { DataSource } from "typeorm";
import { ulid } from "ulid";
import { User } from "../../src/modules/identity/user.entity";
import { UserRole } from "../../src/modules/identity/user-role.entity";
import { Role } from "../../src/modules/identity/role";
import type { Viewer } from "../../src/core/context";

const RETAIL_LEVEL_ID = "01M82V7M008F3MJMDRA9FK92RH"; // seeded by the Foundation migration

/**
 * A user row for tests of modules that key on users (wallet, points). The
 * identity module owns sign-up; until its service lands, tests insert the row
 * and mint the viewer a session would carry.
 */
export async function createTestUser(dataSource: DataSource, roles: Role[] = [Role.CUSTOMER]): Promise<{ id: string; viewer: Viewer }> {
  const id = ulid();
  await dataSource.getRepository(User).insert({
    id,
    name: `Test ${id.slice(-6)}`,
    email: `${id.toLowerCase()}@test.lapak`,
    whatsapp: null,
    passwordHash: "not-a-real-hash",
    levelId: RETAIL_LEVEL_ID,
  });
  await dataSource.getRepository(UserRole).insert(roles.map((role) => ({ id: ulid(), userId: id, role })));
  return { id, viewer: { kind: "user", userId: id, roles, levelCode: "RETAIL", via: "session" } };
}
