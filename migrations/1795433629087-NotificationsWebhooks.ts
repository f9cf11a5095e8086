import { MigrationInterface, QueryRunner } from "typeorm";

export class NotificationsWebhooks1795433629087 implements MigrationInterface {
    name = 'NotificationsWebhooks1795433629087'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`notifications\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`user_id\` char(26) NOT NULL, \`type\` enum ('TRX', 'REFUND', 'TOPUP', 'VOUCHER', 'SYSTEM') NOT NULL, \`title\` varchar(150) NOT NULL, \`body\` varchar(2000) NOT NULL, \`data\` json NULL, \`read_at\` datetime(3) NULL, INDEX \`idx_notifications_user_unread\` (\`user_id\`, \`read_at\`), INDEX \`idx_notifications_user\` (\`user_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`webhook_deliveries\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`user_id\` char(26) NOT NULL, \`event\` varchar(60) NOT NULL, \`payload\` json NOT NULL, \`status\` enum ('PENDING', 'DELIVERED', 'FAILED') NOT NULL DEFAULT 'PENDING', \`attempts\` int UNSIGNED NOT NULL DEFAULT '0', \`next_attempt_at\` datetime(3) NULL, \`last_status\` smallint UNSIGNED NULL, \`last_error\` varchar(500) NULL, \`delivered_at\` datetime(3) NULL, INDEX \`idx_webhook_deliveries_pending\` (\`status\`, \`next_attempt_at\`), INDEX \`idx_webhook_deliveries_user\` (\`user_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`reseller_webhook_endpoints\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`user_id\` char(26) NOT NULL, \`url\` varchar(500) NOT NULL, \`secret_sealed\` varchar(255) NOT NULL, \`secret_rotated_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_reseller_webhook_endpoints_user\` (\`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`uq_reseller_webhook_endpoints_user\` ON \`reseller_webhook_endpoints\``);
        await queryRunner.query(`DROP TABLE \`reseller_webhook_endpoints\``);
        await queryRunner.query(`DROP INDEX \`idx_webhook_deliveries_user\` ON \`webhook_deliveries\``);
        await queryRunner.query(`DROP INDEX \`idx_webhook_deliveries_pending\` ON \`webhook_deliveries\``);
        await queryRunner.query(`DROP TABLE \`webhook_deliveries\``);
        await queryRunner.query(`DROP INDEX \`idx_notifications_user\` ON \`notifications\``);
        await queryRunner.query(`DROP INDEX \`idx_notifications_user_unread\` ON \`notifications\``);
        await queryRunner.query(`DROP TABLE \`notifications\``);
    }

}
