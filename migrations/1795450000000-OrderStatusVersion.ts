import { MigrationInterface, QueryRunner } from "typeorm";

export class OrderStatusVersion1795450000000 implements MigrationInterface {
    name = 'OrderStatusVersion1795450000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`orders\` ADD \`status_version\` int NOT NULL DEFAULT '0'`);
        // existing orders: one version per transaction-log row, as new ones count them
        await queryRunner.query(`UPDATE \`orders\` o SET \`status_version\` = (SELECT COUNT(*) FROM \`order_transitions\` t WHERE t.\`order_id\` = o.\`id\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`orders\` DROP COLUMN \`status_version\``);
    }

}
