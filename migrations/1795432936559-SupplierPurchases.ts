import { MigrationInterface, QueryRunner } from "typeorm";

export class SupplierPurchases1795432936559 implements MigrationInterface {
    name = 'SupplierPurchases1795432936559'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`supplier_purchases\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`order_item_id\` char(26) NOT NULL, \`supplier\` varchar(20) NOT NULL DEFAULT 'DIGIFLAZZ', \`ref_id\` varchar(40) NOT NULL, \`sku\` varchar(64) NOT NULL, \`customer_no\` varchar(64) NOT NULL, \`max_price\` bigint NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'QUEUED', \`sn\` varchar(255) NULL, \`rc\` varchar(8) NULL, \`message\` varchar(255) NULL, \`price\` bigint NULL, \`attempts\` int NOT NULL DEFAULT '0', \`last_error\` varchar(500) NULL, \`next_check_at\` datetime(3) NULL, \`first_attempt_at\` datetime(3) NULL, \`give_up_at\` datetime(3) NULL, \`last_request_at\` datetime(3) NULL, \`lock_token\` char(26) NULL, \`locked_until\` datetime(3) NULL, \`result_delivered_at\` datetime(3) NULL, \`supplier_payload\` json NULL, UNIQUE INDEX \`UQ_supplier_purchases_order_item\` (\`order_item_id\`), UNIQUE INDEX \`UQ_supplier_purchases_ref_id\` (\`ref_id\`), INDEX \`IDX_supplier_purchases_open\` (\`status\`, \`next_check_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`IDX_supplier_purchases_open\` ON \`supplier_purchases\``);
        await queryRunner.query(`DROP INDEX \`UQ_supplier_purchases_ref_id\` ON \`supplier_purchases\``);
        await queryRunner.query(`DROP INDEX \`UQ_supplier_purchases_order_item\` ON \`supplier_purchases\``);
        await queryRunner.query(`DROP TABLE \`supplier_purchases\``);
    }

}
