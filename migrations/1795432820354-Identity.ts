import { MigrationInterface, QueryRunner } from "typeorm";

export class Identity1795432820354 implements MigrationInterface {
    name = 'Identity1795432820354'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`api_tokens\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`user_id\` char(26) NOT NULL, \`name\` varchar(60) NOT NULL, \`token_hash\` char(64) NOT NULL, \`prefix\` varchar(12) NOT NULL, \`last4\` char(4) NOT NULL, \`scopes\` json NOT NULL, \`last_used_at\` datetime NULL, \`revoked_at\` datetime NULL, UNIQUE INDEX \`uq_api_tokens_hash\` (\`token_hash\`), INDEX \`idx_api_tokens_user\` (\`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`password_resets\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`user_id\` char(26) NOT NULL, \`token_hash\` char(64) NOT NULL, \`expires_at\` datetime NOT NULL, \`used_at\` datetime NULL, UNIQUE INDEX \`uq_password_resets_hash\` (\`token_hash\`), INDEX \`idx_password_resets_user\` (\`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`refresh_tokens\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`session_id\` char(26) NOT NULL, \`token_hash\` char(64) NOT NULL, \`expires_at\` datetime NOT NULL, \`used_at\` datetime NULL, UNIQUE INDEX \`uq_refresh_tokens_hash\` (\`token_hash\`), INDEX \`idx_refresh_tokens_session\` (\`session_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`sessions\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`user_id\` char(26) NOT NULL, \`revoked_at\` datetime NULL, \`revoked_reason\` varchar(40) NULL, \`ip\` varchar(64) NULL, INDEX \`idx_sessions_user\` (\`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`notification_outbox\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`channel\` enum ('EMAIL', 'WHATSAPP') NOT NULL, \`recipient\` varchar(190) NOT NULL, \`template\` varchar(80) NOT NULL, \`payload\` json NOT NULL, \`status\` enum ('PENDING', 'SENT', 'FAILED') NOT NULL DEFAULT 'PENDING', \`attempts\` int NOT NULL DEFAULT '0', \`last_error\` varchar(255) NULL, \`sent_at\` datetime NULL, INDEX \`idx_notification_outbox_status\` (\`status\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`ALTER TABLE \`users\` ADD \`api_rate_limit_per_minute\` int NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`api_rate_limit_per_minute\``);
        await queryRunner.query(`DROP INDEX \`idx_notification_outbox_status\` ON \`notification_outbox\``);
        await queryRunner.query(`DROP TABLE \`notification_outbox\``);
        await queryRunner.query(`DROP INDEX \`idx_sessions_user\` ON \`sessions\``);
        await queryRunner.query(`DROP TABLE \`sessions\``);
        await queryRunner.query(`DROP INDEX \`idx_refresh_tokens_session\` ON \`refresh_tokens\``);
        await queryRunner.query(`DROP INDEX \`uq_refresh_tokens_hash\` ON \`refresh_tokens\``);
        await queryRunner.query(`DROP TABLE \`refresh_tokens\``);
        await queryRunner.query(`DROP INDEX \`idx_password_resets_user\` ON \`password_resets\``);
        await queryRunner.query(`DROP INDEX \`uq_password_resets_hash\` ON \`password_resets\``);
        await queryRunner.query(`DROP TABLE \`password_resets\``);
        await queryRunner.query(`DROP INDEX \`idx_api_tokens_user\` ON \`api_tokens\``);
        await queryRunner.query(`DROP INDEX \`uq_api_tokens_hash\` ON \`api_tokens\``);
        await queryRunner.query(`DROP TABLE \`api_tokens\``);
    }

}
