import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

@Entity("faqs")
@Index("idx_faqs_group", ["groupName", "sort"])
export class Faq extends BaseEntity {
  @Column({ name: "group_name", type: "varchar", length: 80 }) groupName: string;
  @Column({ type: "varchar", length: 300 }) question: string;
  @Column({ type: "text" }) answer: string;
  @Column({ type: "int", default: 0 }) sort: number;
  @Column({ type: "boolean", default: true }) active: boolean;
}
