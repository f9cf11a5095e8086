import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../core/context";
import { unauthenticated } from "../../core/errors";
import type { StaffActor } from "../fulfillment/fulfillment.service";
import type { Order } from "../ordering/order.entity";
import { toOrderView } from "../ordering/ordering.resolver";
import type { OrderService } from "../ordering/ordering.service";
import { OrderView } from "../ordering/ordering.types";
import type { OperationsService } from "./operations.service";
import { FailedJobView, ItemAwaitingStaffView, QueueCountsView, ResolveOrderItemInput, SupplierBalanceView } from "./operations.types";

const actorOf = (ctx: GraphQLContext): StaffActor => {
  if (ctx.viewer.kind !== "user") throw unauthenticated();
  return { userId: ctx.viewer.userId, ip: ctx.ip };
};

/** Staff operations: queues, failed jobs, order items waiting for people, the supplier deposit. */
@Resolver()
export class OperationsResolver {
  constructor(
    private readonly operations: OperationsService,
    private readonly orders: OrderService,
  ) {}

  @Query(() => [QueueCountsView], { description: "Jobs per queue and state (ADMIN, CS_FULFILLER)" })
  queueOverview(): Promise<QueueCountsView[]> {
    return this.operations.queueOverview();
  }

  @Query(() => [FailedJobView], { description: "A queue's failed jobs, latest failure first, with the error message (ADMIN)" })
  failedJobs(@Arg("queue") queue: string, @Arg("first", () => Int, { defaultValue: 20 }) first: number): Promise<FailedJobView[]> {
    return this.operations.failedJobs(queue, first);
  }

  @Mutation(() => Boolean, { description: "Runs a failed job again (ADMIN; audited)" })
  retryJob(@Arg("queue") queue: string, @Arg("jobId", () => ID) jobId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return this.operations.retryJob(actorOf(ctx), queue, jobId);
  }

  @Query(() => [ItemAwaitingStaffView], { description: "Order items waiting for staff, oldest first (CS, ADMIN)" })
  itemsAwaitingStaff(@Arg("first", () => Int, { defaultValue: 50 }) first: number): Promise<ItemAwaitingStaffView[]> {
    return this.operations.itemsAwaitingStaff(first);
  }

  @Mutation(() => OrderView, { description: "Asks the supplier again now, with the same ref_id, for an item whose purchase is open or held for staff (ADMIN, CS_FULFILLER; audited)" })
  async retryOrderItem(@Arg("orderItemId", () => ID) orderItemId: string, @Ctx() ctx: GraphQLContext): Promise<OrderView> {
    return this.view(await this.operations.retryOrderItem(actorOf(ctx), orderItemId));
  }

  @Mutation(() => OrderView, { description: "Settles an item by hand: SUCCESS with the SN, or FAILED (the order is refunded) (ADMIN, CS_FULFILLER; audited)" })
  async resolveOrderItem(@Arg("input") input: ResolveOrderItemInput, @Ctx() ctx: GraphQLContext): Promise<OrderView> {
    return this.view(await this.operations.resolveOrderItem(actorOf(ctx), input));
  }

  @Query(() => SupplierBalanceView, { description: "The store's deposit at the supplier, read now (ADMIN, BILLING)" })
  supplierBalance(): Promise<SupplierBalanceView> {
    return this.operations.supplierBalance();
  }

  private async view(order: Order): Promise<OrderView> {
    return toOrderView(order, await this.orders.history(order.id), true);
  }
}
