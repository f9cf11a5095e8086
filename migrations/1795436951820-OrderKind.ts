import { MigrationInterface, QueryRunner } from "typeorm";

export class OrderKind1795436951820 implements MigrationInterface {
    name = 'OrderKind1795436951820'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`orders\` ADD \`kind\` enum ('PURCHASE', 'TOPUP') NOT NULL DEFAULT 'PURCHASE'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`orders\` DROP COLUMN \`kind\``);
    }

}
