import { MigrationInterface, QueryRunner } from "typeorm";

export class CatalogPricingCms1795432496131 implements MigrationInterface {
    name = 'CatalogPricingCms1795432496131'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`categories\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`name\` varchar(120) NOT NULL, \`slug\` varchar(120) NOT NULL, \`type\` enum ('GAME', 'PULSA', 'DATA', 'PLN', 'EWALLET', 'VOUCHER', 'PREMIUM_ACCOUNT', 'PHYSICAL', 'HOSTING', 'DOMAIN', 'SSL', 'OTHER') NOT NULL, \`image_url\` varchar(500) NULL, \`sort\` int NOT NULL DEFAULT '0', \`active\` tinyint NOT NULL DEFAULT 1, UNIQUE INDEX \`uq_categories_slug\` (\`slug\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`products\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`name\` varchar(160) NOT NULL, \`slug\` varchar(160) NOT NULL, \`category_id\` char(26) NOT NULL, \`image_url\` varchar(500) NULL, \`description\` text NULL, \`sort\` int NOT NULL DEFAULT '0', \`active\` tinyint NOT NULL DEFAULT 1, \`input_schema\` json NOT NULL, \`customer_no_template\` varchar(200) NULL, UNIQUE INDEX \`uq_products_slug\` (\`slug\`), INDEX \`idx_products_category\` (\`category_id\`, \`sort\`), INDEX \`idx_products_listing\` (\`active\`, \`sort\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`product_variants\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`product_id\` char(26) NOT NULL, \`name\` varchar(160) NOT NULL, \`sku\` varchar(64) NOT NULL, \`kind\` enum ('SUPPLIER', 'STOCK', 'INVITE', 'PHYSICAL', 'SUBSCRIPTION', 'DOMAIN', 'SSL') NOT NULL, \`supplier\` varchar(32) NULL, \`supplier_sku\` varchar(64) NULL, \`cost_price\` bigint NOT NULL, \`stock\` int NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`supplier_active\` tinyint NOT NULL DEFAULT 1, \`sort\` int NOT NULL DEFAULT '0', \`price_review\` tinyint NOT NULL DEFAULT 0, \`previous_cost_price\` bigint NULL, UNIQUE INDEX \`uq_variants_sku\` (\`sku\`), INDEX \`idx_variants_product\` (\`product_id\`, \`sort\`), UNIQUE INDEX \`uq_variants_supplier_sku\` (\`supplier\`, \`supplier_sku\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`banners\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`title\` varchar(160) NOT NULL, \`image_url\` varchar(500) NOT NULL, \`link_url\` varchar(500) NULL, \`placement\` varchar(40) NOT NULL, \`starts_at\` datetime NULL, \`ends_at\` datetime NULL, \`sort\` int NOT NULL DEFAULT '0', \`active\` tinyint NOT NULL DEFAULT 1, INDEX \`idx_banners_placement\` (\`placement\`, \`active\`, \`sort\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`faqs\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`group_name\` varchar(80) NOT NULL, \`question\` varchar(300) NOT NULL, \`answer\` text NOT NULL, \`sort\` int NOT NULL DEFAULT '0', \`active\` tinyint NOT NULL DEFAULT 1, INDEX \`idx_faqs_group\` (\`group_name\`, \`sort\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`seo_meta\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`path\` varchar(190) NOT NULL, \`title\` varchar(160) NOT NULL, \`description\` varchar(320) NULL, \`image_url\` varchar(500) NULL, \`canonical_url\` varchar(500) NULL, UNIQUE INDEX \`uq_seo_meta_path\` (\`path\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`social_links\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`platform\` varchar(40) NOT NULL, \`url\` varchar(500) NOT NULL, \`sort\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`store_settings\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`key\` varchar(80) NOT NULL, \`value\` json NOT NULL, UNIQUE INDEX \`uq_store_settings_key\` (\`key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`markup_rules\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`category_id\` varchar(26) NOT NULL, \`level_code\` varchar(32) NOT NULL, \`percent_bp\` int NOT NULL DEFAULT '0', \`fixed_amount\` bigint NOT NULL DEFAULT '0', UNIQUE INDEX \`uq_markup_rules_category_level\` (\`category_id\`, \`level_code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`variant_prices\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`variant_id\` char(26) NOT NULL, \`level_code\` varchar(32) NOT NULL, \`price\` bigint NOT NULL, \`pinned_price\` bigint NULL, UNIQUE INDEX \`uq_variant_prices_variant_level\` (\`variant_id\`, \`level_code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`ALTER TABLE \`products\` ADD CONSTRAINT \`FK_9a5f6868c96e0069e699f33e124\` FOREIGN KEY (\`category_id\`) REFERENCES \`categories\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`product_variants\` ADD CONSTRAINT \`FK_6343513e20e2deab45edfce1316\` FOREIGN KEY (\`product_id\`) REFERENCES \`products\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`product_variants\` DROP FOREIGN KEY \`FK_6343513e20e2deab45edfce1316\``);
        await queryRunner.query(`ALTER TABLE \`products\` DROP FOREIGN KEY \`FK_9a5f6868c96e0069e699f33e124\``);
        await queryRunner.query(`DROP INDEX \`uq_variant_prices_variant_level\` ON \`variant_prices\``);
        await queryRunner.query(`DROP TABLE \`variant_prices\``);
        await queryRunner.query(`DROP INDEX \`uq_markup_rules_category_level\` ON \`markup_rules\``);
        await queryRunner.query(`DROP TABLE \`markup_rules\``);
        await queryRunner.query(`DROP INDEX \`uq_store_settings_key\` ON \`store_settings\``);
        await queryRunner.query(`DROP TABLE \`store_settings\``);
        await queryRunner.query(`DROP TABLE \`social_links\``);
        await queryRunner.query(`DROP INDEX \`uq_seo_meta_path\` ON \`seo_meta\``);
        await queryRunner.query(`DROP TABLE \`seo_meta\``);
        await queryRunner.query(`DROP INDEX \`idx_faqs_group\` ON \`faqs\``);
        await queryRunner.query(`DROP TABLE \`faqs\``);
        await queryRunner.query(`DROP INDEX \`idx_banners_placement\` ON \`banners\``);
        await queryRunner.query(`DROP TABLE \`banners\``);
        await queryRunner.query(`DROP INDEX \`uq_variants_supplier_sku\` ON \`product_variants\``);
        await queryRunner.query(`DROP INDEX \`idx_variants_product\` ON \`product_variants\``);
        await queryRunner.query(`DROP INDEX \`uq_variants_sku\` ON \`product_variants\``);
        await queryRunner.query(`DROP TABLE \`product_variants\``);
        await queryRunner.query(`DROP INDEX \`idx_products_listing\` ON \`products\``);
        await queryRunner.query(`DROP INDEX \`idx_products_category\` ON \`products\``);
        await queryRunner.query(`DROP INDEX \`uq_products_slug\` ON \`products\``);
        await queryRunner.query(`DROP TABLE \`products\``);
        await queryRunner.query(`DROP INDEX \`uq_categories_slug\` ON \`categories\``);
        await queryRunner.query(`DROP TABLE \`categories\``);
    }

}
