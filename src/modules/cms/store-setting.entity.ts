import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

/** One typed store setting; keys and their defaults are declared in settings.definitions.ts. */
@Entity("store_settings")
export class StoreSetting extends BaseEntity {
  @Index("uq_store_settings_key", { unique: true })
  @Column({ type: "varchar", length: 80 }) key: string;
  @Column({ type: "json" }) value: unknown;
}
