import { MigrationInterface, QueryRunner } from "typeorm";

export class SupplierCallbacks1795447532265 implements MigrationInterface {
    name = 'SupplierCallbacks1795447532265'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`supplier_callbacks\` (\`id\` char(26) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`supplier\` varchar(20) NOT NULL, \`event\` varchar(20) NULL, \`ref_id\` varchar(64) NULL, \`headers\` json NOT NULL, \`raw_body\` mediumtext NOT NULL, \`ip\` varchar(64) NULL, \`verified\` tinyint NOT NULL, \`reason\` varchar(255) NULL, \`claimed\` varchar(20) NULL, \`outcome\` varchar(20) NULL, INDEX \`idx_supplier_callbacks_ref\` (\`ref_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_supplier_callbacks_ref\` ON \`supplier_callbacks\``);
        await queryRunner.query(`DROP TABLE \`supplier_callbacks\``);
    }

}
