import type { GraphQLResolveInfo, GraphQLSchema } from "graphql";
import type { Viewer } from "../../core/context";
import { forbidden, unauthenticated } from "../../core/errors";
import type { EventBus } from "../../core/event-bus";
import { Role } from "../identity/role";
import { ORDER_FEED, ORDER_UPDATED, type OrderEvent } from "./order-events";
import { isStaff, type OrderService } from "./ordering.service";

/** Staff who watch the live feed of every order, and who may read SNs. */
export const FEED_ROLES: readonly Role[] = [Role.ADMIN, Role.CS_VERIFIER, Role.CS_FULFILLER];

/**
 * Live order status for subscriptions: checks who may follow, then yields the
 * order's current state followed by every change, from whichever process
 * made it (one Redis channel per order).
 */
export class OrderTracker {
  constructor(
    private readonly orders: OrderService,
    private readonly eventBus: EventBus,
  ) {}

  /** The owner or staff follow an order by id; anyone else gets NOT_FOUND. */
  async followOrder(viewer: Viewer, orderId: string): Promise<AsyncIterable<OrderEvent>> {
    if (viewer.kind !== "user") throw unauthenticated();
    await this.orders.getForViewer(orderId, viewer);
    return this.follow(orderId);
  }

  /** A guest follows with the tracking token handed out at checkout. */
  async followTracking(token: string): Promise<AsyncIterable<OrderEvent>> {
    const order = await this.orders.getByTrackingToken(token);
    return this.follow(order.id);
  }

  /** Every order's changes, for CS and admins. */
  feed(viewer: Viewer): AsyncIterable<OrderEvent> {
    if (viewer.kind !== "user") throw unauthenticated();
    if (!viewer.roles.some((role) => FEED_ROLES.includes(role))) throw forbidden("The order feed is for CS and admins");
    return this.eventBus.subscribe<OrderEvent>(ORDER_FEED);
  }

  /**
   * An event published before the current state was read can arrive after
   * it: only what is newer than what the follower already has goes out, so
   * a follower never sees an order go back to a status it has left.
   */
  private follow(orderId: string): AsyncIterable<OrderEvent> {
    return this.eventBus.subscribeFrom<OrderEvent>(ORDER_UPDATED, orderId, () => this.orders.currentEvent(orderId), (event, last) => event.version <= last.version);
  }
}

/** Whether a follower sees the SN: the buyer (owner or token holder) and CS / admin staff. */
export function seesSn(viewer: Viewer): boolean {
  return !isStaff(viewer) || (viewer.kind === "user" && viewer.roles.some((role) => FEED_ROLES.includes(role)));
}

// Subscription fields are declared on the resolver class, once per process; a
// store's tracker is found through the schema it serves (tests run several).
const trackers = new WeakMap<GraphQLSchema, OrderTracker>();

export function bindTracker(schema: GraphQLSchema, tracker: OrderTracker): void {
  trackers.set(schema, tracker);
}

export function trackerOf(info: GraphQLResolveInfo): OrderTracker {
  const tracker = trackers.get(info.schema);
  if (!tracker) throw new Error("no order tracker is bound to this schema");
  return tracker;
}
