import { MigrationInterface, QueryRunner } from "typeorm";

export class OrderItemSupplierSnapshot1795440000000 implements MigrationInterface {
    name = 'OrderItemSupplierSnapshot1795440000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`order_items\` ADD \`supplier_sku\` varchar(64) NULL`);
        await queryRunner.query(`ALTER TABLE \`order_items\` ADD \`cost_price\` bigint NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`order_items\` DROP COLUMN \`cost_price\``);
        await queryRunner.query(`ALTER TABLE \`order_items\` DROP COLUMN \`supplier_sku\``);
    }

}
