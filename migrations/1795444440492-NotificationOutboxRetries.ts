import { MigrationInterface, QueryRunner } from "typeorm";

export class NotificationOutboxRetries1795444440492 implements MigrationInterface {
    name = 'NotificationOutboxRetries1795444440492'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_notification_outbox_status\` ON \`notification_outbox\``);
        // Rows already queued become due at once: add nullable, backfill, then require it.
        await queryRunner.query(`ALTER TABLE \`notification_outbox\` ADD \`next_attempt_at\` datetime(3) NULL`);
        await queryRunner.query(`UPDATE \`notification_outbox\` SET \`next_attempt_at\` = \`created_at\``);
        await queryRunner.query(`ALTER TABLE \`notification_outbox\` MODIFY \`next_attempt_at\` datetime(3) NOT NULL`);
        await queryRunner.query(`CREATE INDEX \`idx_notification_outbox_due\` ON \`notification_outbox\` (\`status\`, \`next_attempt_at\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_notification_outbox_due\` ON \`notification_outbox\``);
        await queryRunner.query(`ALTER TABLE \`notification_outbox\` DROP COLUMN \`next_attempt_at\``);
        await queryRunner.query(`CREATE INDEX \`idx_notification_outbox_status\` ON \`notification_outbox\` (\`status\`, \`created_at\`)`);
    }

}
