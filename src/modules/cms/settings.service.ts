import type { DataSource, EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import type { Actor } from "../../core/actor";
import { badInput } from "../../core/errors";
import type { AuditService } from "../audit/audit.service";
import { StoreSetting } from "./store-setting.entity";
import { SETTING_CHECKS, SETTING_DEFAULTS, type StoreSettings } from "./settings.definitions";

/** Typed store settings: stored values over the defaults. Read fresh from the database (one small query). */
export class SettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Pass a transaction's manager to read inside it (e.g. points rules during checkout). */
  async get(manager: EntityManager = this.dataSource.manager): Promise<StoreSettings> {
    const rows = await manager.find(StoreSetting);
    const settings: StoreSettings = { ...SETTING_DEFAULTS };
    for (const row of rows) {
      if (row.key in SETTING_DEFAULTS) (settings as unknown as Record<string, unknown>)[row.key] = row.value;
    }
    return settings;
  }

  /** Changes the given settings (all checked first, so a bad one writes nothing), audited. */
  async update(actor: Actor, changes: Partial<StoreSettings>): Promise<StoreSettings> {
    const checked: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === null) continue;
      const check = SETTING_CHECKS[key as keyof StoreSettings];
      if (!check) throw badInput(`Unknown setting ${key}`, { field: key });
      checked[key] = check(value, key);
    }
    if (checked.walletMinTopup !== undefined || checked.walletMaxTopup !== undefined) {
      const current = await this.get();
      const min = (checked.walletMinTopup ?? current.walletMinTopup) as number;
      const max = (checked.walletMaxTopup ?? current.walletMaxTopup) as number;
      if (min > max) throw badInput("walletMinTopup must not exceed walletMaxTopup", { field: "walletMinTopup" });
    }
    await this.dataSource.transaction(async (manager) => {
      const before = await manager.find(StoreSetting);
      const old = new Map(before.map((row) => [row.key, row.value]));
      for (const [key, value] of Object.entries(checked)) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(StoreSetting)
          .values({ id: newId(), key, value: value as never })
          .orUpdate(["value"], ["key"])
          .updateEntity(false)
          .execute();
      }
      await this.audit.record(manager, {
        actorId: actor.userId,
        ip: actor.ip,
        action: "settings.update",
        targetType: "store_settings",
        targetId: null,
        before: Object.fromEntries(Object.keys(checked).map((key) => [key, old.get(key) ?? SETTING_DEFAULTS[key as keyof StoreSettings]])),
        after: checked,
      });
    });
    return this.get();
  }
}
