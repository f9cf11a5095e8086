import { MigrationInterface, QueryRunner } from "typeorm";

export class SupplierSyncReports1795436352641 implements MigrationInterface {
    name = 'SupplierSyncReports1795436352641'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`supplier_sync_reports\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`supplier\` varchar(32) NOT NULL, \`trigger\` varchar(16) NOT NULL, \`status\` varchar(16) NOT NULL, \`actor_id\` char(26) NULL, \`added\` int NOT NULL DEFAULT '0', \`updated\` int NOT NULL DEFAULT '0', \`deactivated\` int NOT NULL DEFAULT '0', \`reactivated\` int NOT NULL DEFAULT '0', \`flagged\` int NOT NULL DEFAULT '0', \`errors\` json NOT NULL, \`changes\` json NOT NULL, \`started_at\` datetime(3) NOT NULL, \`finished_at\` datetime(3) NOT NULL, INDEX \`idx_sync_reports_supplier\` (\`supplier\`, \`started_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_sync_reports_supplier\` ON \`supplier_sync_reports\``);
        await queryRunner.query(`DROP TABLE \`supplier_sync_reports\``);
    }

}
