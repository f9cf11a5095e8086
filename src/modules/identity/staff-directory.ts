import type { DataSource, EntityManager } from "typeorm";
import { Role } from "./role";
import { UserRole } from "./user-role.entity";
import { UserStatus } from "./user.entity";

/**
 * Who holds a staff role, for modules that have to reach staff (alerts to
 * admins and billing). Identity owns users and roles; others ask here.
 */
export class StaffDirectory {
  constructor(private readonly dataSource: DataSource) {}

  /** Ids of ACTIVE users holding any of these roles, each once, in id order (at most 1000). */
  async activeUserIdsWithRoles(roles: readonly Role[], manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const wanted = roles.filter((role) => Object.values(Role).includes(role));
    if (wanted.length === 0) return [];
    const rows: { userId: string }[] = await manager
      .getRepository(UserRole)
      .createQueryBuilder("r")
      .innerJoin("r.user", "u")
      .select("DISTINCT r.user_id", "userId")
      .where("r.role IN (:...roles)", { roles: wanted })
      .andWhere("u.status = :active", { active: UserStatus.ACTIVE })
      .orderBy("r.user_id")
      .limit(1000)
      .getRawMany();
    return rows.map((row) => row.userId);
  }
}
