import { BeforeInsert, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from "typeorm";
import { newId } from "./ids";

/** Every table: a ULID primary key and created/updated timestamps. */
export abstract class BaseEntity {
  @PrimaryColumn({ type: "char", length: 26 })
  id: string;

  @CreateDateColumn({ name: "created_at" })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at" })
  updatedAt: Date;

  @BeforeInsert()
  assignId(): void {
    this.id ??= newId();
  }
}
