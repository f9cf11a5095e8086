import { Args, Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../core/context";
import { unauthenticated } from "../../core/errors";
import type { Order } from "./order.entity";
import type { OrderTransition } from "./order-transition.entity";
import { isStaff, type OrderService } from "./ordering.service";
import { MyOrdersArgs, OrderConnection, OrderView } from "./ordering.types";

@Resolver()
export class OrderingResolver {
  constructor(private readonly orders: OrderService) {}

  @Query(() => OrderConnection, { description: "The signed-in buyer's orders, newest first" })
  async myOrders(@Args() args: MyOrdersArgs, @Ctx() ctx: GraphQLContext): Promise<OrderConnection> {
    if (ctx.viewer.kind !== "user") throw unauthenticated();
    const page = await this.orders.listForUser(ctx.viewer.userId, args);
    return { ...page, nodes: page.nodes.map((order) => toOrderView(order, [], false)) };
  }

  @Query(() => OrderView, { description: "One order, for its owner or staff" })
  async order(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<OrderView> {
    const order = await this.orders.getForViewer(id, ctx.viewer);
    return toOrderView(order, await this.orders.history(id), isStaff(ctx.viewer));
  }

  @Query(() => OrderView, { description: "A guest's way to follow an order" })
  async orderByTrackingToken(@Arg("token") token: string, @Ctx() ctx: GraphQLContext): Promise<OrderView> {
    const order = await this.orders.getByTrackingToken(token);
    return toOrderView(order, await this.orders.history(order.id), isStaff(ctx.viewer));
  }
}

/** Maps an order; internal fields (actor, payload, review flags) only for staff. */
export function toOrderView(order: Order, history: OrderTransition[], staff: boolean): OrderView {
  return {
    ...order,
    needsReview: staff ? order.needsReview : false,
    reviewReason: staff ? order.reviewReason : null,
    items: (order.items ?? []).map((item) => ({ ...item })),
    history: history.map((row) => ({
      from: row.fromStatus,
      to: row.toStatus,
      reason: row.reason,
      at: row.createdAt,
      actor: staff ? row.actor : null,
      payload: staff ? row.payload : null,
    })),
  };
}
