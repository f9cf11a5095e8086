import { Arg, Ctx, ID, Resolver, Root, Subscription } from "type-graphql";
import type { GraphQLResolveInfo } from "graphql";
import type { GraphQLContext } from "../../core/context";
import type { OrderEvent } from "./order-events";
import { seesSn, trackerOf } from "./order-tracking";
import { OrderUpdate } from "./ordering.types";

type SetUp = { args: Record<string, string>; context: GraphQLContext; info: GraphQLResolveInfo };

/**
 * Live order status over graphql-ws. Shield does not guard subscription
 * set-up, so the tracker checks who may follow at subscribe time; a
 * (re)connecting client first gets the order's current state.
 */
@Resolver()
export class OrderSubscriptionsResolver {
  @Subscription(() => OrderUpdate, {
    description: "Status changes of one order, for its owner and staff; starts with the current state",
    subscribe: ({ args, context, info }: SetUp) => trackerOf(info).followOrder(context.viewer, args.orderId),
  })
  orderUpdated(@Root() event: OrderEvent, @Arg("orderId", () => ID) _orderId: string, @Ctx() ctx: GraphQLContext): OrderUpdate {
    return toUpdate(event, seesSn(ctx.viewer));
  }

  @Subscription(() => OrderUpdate, {
    description: "Status changes of an order followed with its tracking token (guests); starts with the current state",
    subscribe: ({ args, info }: SetUp) => trackerOf(info).followTracking(args.trackingToken),
  })
  orderTracking(@Root() event: OrderEvent, @Arg("trackingToken") _trackingToken: string): OrderUpdate {
    return toUpdate(event, true);
  }

  @Subscription(() => OrderUpdate, {
    description: "Every order's status changes, for CS and admins",
    subscribe: ({ context, info }: SetUp) => trackerOf(info).feed(context.viewer),
  })
  orderFeed(@Root() event: OrderEvent): OrderUpdate {
    return toUpdate(event, true);
  }
}

function toUpdate(event: OrderEvent, withSn: boolean): OrderUpdate {
  return { ...event, sn: withSn ? event.sn : null, at: new Date(event.at) };
}
