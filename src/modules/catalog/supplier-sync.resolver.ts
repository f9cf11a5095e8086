import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { actorOf } from "../../core/actor";
import type { GraphQLContext } from "../../core/context";
import { badInput } from "../../core/errors";
import type { SupplierSyncReport } from "./supplier-sync-report.entity";
import type { SupplierSyncService } from "./supplier-sync.service";
import { SupplierSyncReportGql } from "./supplier-sync.types";

@Resolver()
export class SupplierSyncResolver {
  constructor(private readonly sync: SupplierSyncService) {}

  @Mutation(() => SupplierSyncReportGql, { description: "admin: reads the supplier price list now and applies it; a refused read (e.g. rc 83) is a FAILED report" })
  runSupplierSync(@Ctx() ctx: GraphQLContext): Promise<SupplierSyncReport> {
    return this.sync.run(actorOf(ctx), "MANUAL");
  }

  @Query(() => [SupplierSyncReportGql], { description: "admin: supplier sync reports, newest first" })
  supplierSyncReports(@Arg("first", () => Int, { defaultValue: 20 }) first: number): Promise<SupplierSyncReport[]> {
    if (!Number.isSafeInteger(first) || first < 1 || first > 100) throw badInput("first must be between 1 and 100", { field: "first" });
    return this.sync.reports(first);
  }

  @Query(() => SupplierSyncReportGql, { nullable: true, description: "admin: one supplier sync report" })
  supplierSyncReport(@Arg("id", () => ID) id: string): Promise<SupplierSyncReport | null> {
    return this.sync.report(id);
  }
}
