import { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1795431329116 implements MigrationInterface {
    name = 'Foundation1795431329116'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`activity_log\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`actor_id\` char(26) NULL, \`action\` varchar(80) NOT NULL, \`target_type\` varchar(60) NOT NULL, \`target_id\` varchar(64) NULL, \`before\` json NULL, \`after\` json NULL, \`ip\` varchar(64) NULL, \`request_id\` varchar(64) NULL, INDEX \`idx_activity_log_actor\` (\`actor_id\`, \`created_at\`), INDEX \`idx_activity_log_target\` (\`target_type\`, \`target_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`member_levels\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`code\` varchar(32) NOT NULL, \`name\` varchar(100) NOT NULL, \`rank\` int NOT NULL, UNIQUE INDEX \`IDX_ee8fed24ca41dd84dec20409b4\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`users\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`name\` varchar(120) NOT NULL, \`email\` varchar(190) NOT NULL, \`whatsapp\` varchar(20) NULL, \`password_hash\` varchar(100) NOT NULL, \`status\` enum ('ACTIVE', 'SUSPENDED') NOT NULL DEFAULT 'ACTIVE', \`customer_type\` enum ('RETAIL', 'RESELLER') NOT NULL DEFAULT 'RETAIL', \`level_id\` char(26) NOT NULL, UNIQUE INDEX \`uq_users_email\` (\`email\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`user_roles\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`user_id\` char(26) NOT NULL, \`role\` enum ('ADMIN', 'CS_VERIFIER', 'CS_FULFILLER', 'BILLING', 'SUPPORT', 'CUSTOMER') NOT NULL, UNIQUE INDEX \`uq_user_roles_user_role\` (\`user_id\`, \`role\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`ALTER TABLE \`users\` ADD CONSTRAINT \`FK_08f642b752f63f945086eccbc8d\` FOREIGN KEY (\`level_id\`) REFERENCES \`member_levels\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`user_roles\` ADD CONSTRAINT \`FK_87b8888186ca9769c960e926870\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        // Reference data every store needs: the four member levels prices key on.
        await queryRunner.query(
            "INSERT INTO `member_levels` (`id`, `code`, `name`, `rank`) VALUES " +
            "('01M82V7M008F3MJMDRA9FK92RH', 'RETAIL', 'Retail', 0), " +
            "('01M82V7M00A6BRP9Y3ETAES611', 'MEMBER', 'Member', 10), " +
            "('01M82V7M00H1EABASH4ZFBB48E', 'VIP', 'VIP', 20), " +
            "('01M82V7M00VGZNBXAJ07HVQ4A7', 'RESELLER', 'Reseller', 30)",
        );
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`user_roles\` DROP FOREIGN KEY \`FK_87b8888186ca9769c960e926870\``);
        await queryRunner.query(`ALTER TABLE \`users\` DROP FOREIGN KEY \`FK_08f642b752f63f945086eccbc8d\``);
        await queryRunner.query(`DROP INDEX \`uq_user_roles_user_role\` ON \`user_roles\``);
        await queryRunner.query(`DROP TABLE \`user_roles\``);
        await queryRunner.query(`DROP INDEX \`uq_users_email\` ON \`users\``);
        await queryRunner.query(`DROP TABLE \`users\``);
        await queryRunner.query(`DROP INDEX \`IDX_ee8fed24ca41dd84dec20409b4\` ON \`member_levels\``);
        await queryRunner.query(`DROP TABLE \`member_levels\``);
        await queryRunner.query(`DROP INDEX \`idx_activity_log_target\` ON \`activity_log\``);
        await queryRunner.query(`DROP INDEX \`idx_activity_log_actor\` ON \`activity_log\``);
        await queryRunner.query(`DROP TABLE \`activity_log\``);
    }

}
