import { MigrationInterface, QueryRunner } from "typeorm";

export class WalletPromotionsPoints1795432389114 implements MigrationInterface {
    name = 'WalletPromotionsPoints1795432389114'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`point_accounts\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`user_id\` char(26) NOT NULL, \`balance\` bigint UNSIGNED NOT NULL DEFAULT '0', \`mutation_count\` int UNSIGNED NOT NULL DEFAULT '0', UNIQUE INDEX \`uq_point_accounts_user\` (\`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`point_mutations\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`user_id\` char(26) NOT NULL, \`amount\` bigint NOT NULL, \`balance_before\` bigint NOT NULL, \`balance_after\` bigint NOT NULL, \`seq\` int UNSIGNED NULL, \`reference_type\` varchar(40) NOT NULL, \`reference_id\` varchar(64) NOT NULL, \`actor_id\` char(26) NULL, \`note\` varchar(500) NULL, \`type\` enum ('EARN', 'REDEEM', 'REVERSAL', 'ADJUSTMENT') NOT NULL, UNIQUE INDEX \`uq_point_mutations_user_seq\` (\`user_id\`, \`seq\`), UNIQUE INDEX \`uq_point_mutations_reference\` (\`type\`, \`reference_type\`, \`reference_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`voucher_products\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`voucher_id\` char(26) NOT NULL, \`product_id\` char(26) NOT NULL, UNIQUE INDEX \`uq_voucher_products\` (\`voucher_id\`, \`product_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`vouchers\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`code\` varchar(40) NOT NULL, \`name\` varchar(120) NOT NULL, \`description\` varchar(500) NULL, \`kind\` enum ('PERCENT', 'FIXED') NOT NULL, \`value\` bigint NOT NULL, \`max_discount\` bigint NULL, \`min_spend\` bigint NOT NULL DEFAULT '0', \`scope\` enum ('ALL', 'CATEGORIES', 'PRODUCTS') NOT NULL DEFAULT 'ALL', \`valid_from\` datetime NULL, \`valid_until\` datetime NULL, \`total_limit\` int UNSIGNED NULL, \`used_count\` int UNSIGNED NOT NULL DEFAULT '0', \`per_user_limit\` int UNSIGNED NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`is_public\` tinyint NOT NULL DEFAULT 0, UNIQUE INDEX \`uq_vouchers_code\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`voucher_categories\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`voucher_id\` char(26) NOT NULL, \`category_id\` char(26) NOT NULL, UNIQUE INDEX \`uq_voucher_categories\` (\`voucher_id\`, \`category_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`voucher_usages\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`voucher_id\` char(26) NOT NULL, \`order_id\` char(26) NOT NULL, \`user_id\` char(26) NULL, \`holder_key\` varchar(200) NOT NULL, \`discount\` bigint NOT NULL, \`status\` enum ('RESERVED', 'USED', 'RELEASED') NOT NULL DEFAULT 'RESERVED', INDEX \`idx_voucher_usages_holder\` (\`voucher_id\`, \`holder_key\`, \`status\`), UNIQUE INDEX \`uq_voucher_usages_order\` (\`order_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`balance_mutations\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`user_id\` char(26) NOT NULL, \`amount\` bigint NOT NULL, \`balance_before\` bigint NOT NULL, \`balance_after\` bigint NOT NULL, \`seq\` int UNSIGNED NULL, \`reference_type\` varchar(40) NOT NULL, \`reference_id\` varchar(64) NOT NULL, \`actor_id\` char(26) NULL, \`note\` varchar(500) NULL, \`type\` enum ('TOPUP', 'PURCHASE', 'REFUND', 'CASHBACK', 'ADJUSTMENT', 'REVERSAL') NOT NULL, UNIQUE INDEX \`uq_balance_mutations_user_seq\` (\`user_id\`, \`seq\`), UNIQUE INDEX \`uq_balance_mutations_reference\` (\`type\`, \`reference_type\`, \`reference_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`wallets\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`user_id\` char(26) NOT NULL, \`balance\` bigint UNSIGNED NOT NULL DEFAULT '0', \`mutation_count\` int UNSIGNED NOT NULL DEFAULT '0', \`cashback_mode\` tinyint NOT NULL DEFAULT 0, UNIQUE INDEX \`uq_wallets_user\` (\`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`ALTER TABLE \`point_accounts\` ADD CONSTRAINT \`FK_046b75fcb202b7d9a98e9b5064b\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`voucher_products\` ADD CONSTRAINT \`FK_8cef826f1359012a2a3dd00f28d\` FOREIGN KEY (\`voucher_id\`) REFERENCES \`vouchers\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`voucher_categories\` ADD CONSTRAINT \`FK_e89210cb9ef58acc4e4564c8712\` FOREIGN KEY (\`voucher_id\`) REFERENCES \`vouchers\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`voucher_usages\` ADD CONSTRAINT \`FK_4bdf6ed30a785ef6ec68f8f3c55\` FOREIGN KEY (\`voucher_id\`) REFERENCES \`vouchers\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`wallets\` ADD CONSTRAINT \`FK_92558c08091598f7a4439586cda\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`wallets\` DROP FOREIGN KEY \`FK_92558c08091598f7a4439586cda\``);
        await queryRunner.query(`ALTER TABLE \`voucher_usages\` DROP FOREIGN KEY \`FK_4bdf6ed30a785ef6ec68f8f3c55\``);
        await queryRunner.query(`ALTER TABLE \`voucher_categories\` DROP FOREIGN KEY \`FK_e89210cb9ef58acc4e4564c8712\``);
        await queryRunner.query(`ALTER TABLE \`voucher_products\` DROP FOREIGN KEY \`FK_8cef826f1359012a2a3dd00f28d\``);
        await queryRunner.query(`ALTER TABLE \`point_accounts\` DROP FOREIGN KEY \`FK_046b75fcb202b7d9a98e9b5064b\``);
        await queryRunner.query(`DROP INDEX \`uq_wallets_user\` ON \`wallets\``);
        await queryRunner.query(`DROP TABLE \`wallets\``);
        await queryRunner.query(`DROP INDEX \`uq_balance_mutations_reference\` ON \`balance_mutations\``);
        await queryRunner.query(`DROP INDEX \`uq_balance_mutations_user_seq\` ON \`balance_mutations\``);
        await queryRunner.query(`DROP TABLE \`balance_mutations\``);
        await queryRunner.query(`DROP INDEX \`uq_voucher_usages_order\` ON \`voucher_usages\``);
        await queryRunner.query(`DROP INDEX \`idx_voucher_usages_holder\` ON \`voucher_usages\``);
        await queryRunner.query(`DROP TABLE \`voucher_usages\``);
        await queryRunner.query(`DROP INDEX \`uq_voucher_categories\` ON \`voucher_categories\``);
        await queryRunner.query(`DROP TABLE \`voucher_categories\``);
        await queryRunner.query(`DROP INDEX \`uq_vouchers_code\` ON \`vouchers\``);
        await queryRunner.query(`DROP TABLE \`vouchers\``);
        await queryRunner.query(`DROP INDEX \`uq_voucher_products\` ON \`voucher_products\``);
        await queryRunner.query(`DROP TABLE \`voucher_products\``);
        await queryRunner.query(`DROP INDEX \`uq_point_mutations_reference\` ON \`point_mutations\``);
        await queryRunner.query(`DROP INDEX \`uq_point_mutations_user_seq\` ON \`point_mutations\``);
        await queryRunner.query(`DROP TABLE \`point_mutations\``);
        await queryRunner.query(`DROP INDEX \`uq_point_accounts_user\` ON \`point_accounts\``);
        await queryRunner.query(`DROP TABLE \`point_accounts\``);
    }

}
