import { Args, Query, Resolver } from "type-graphql";
import type { AuditService } from "./audit.service";
import { ActivityLogArgs, ActivityLogEntry, ActivityLogPage } from "./audit.types";

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => ActivityLogPage, { description: "ADMIN: the activity log by target, actor and time, newest first" })
  async activityLog(@Args(() => ActivityLogArgs) args: ActivityLogArgs): Promise<ActivityLogPage> {
    const { items, total } = await this.audit.search(args);
    return { items: items.map((row) => Object.assign(new ActivityLogEntry(), row)), total };
  }
}
