import { MigrationInterface, QueryRunner } from "typeorm";

export class OrderCashback1795437335164 implements MigrationInterface {
    name = 'OrderCashback1795437335164'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`orders\` ADD \`cashback_amount\` bigint NOT NULL DEFAULT '0'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`orders\` DROP COLUMN \`cashback_amount\``);
    }

}
