import { isAuthenticated, isPublic } from "../../core/permission-rules";

// Owner/staff checks happen in OrderService.getForViewer (the row is needed to decide);
// internal fields are blanked for non-staff by toOrderView.
export const orderingPermissions = {
  Query: { myOrders: isAuthenticated, order: isAuthenticated, orderByTrackingToken: isPublic },
  Order: isPublic,
  OrderItem: isPublic,
  OrderTransition: isPublic,
  OrderConnection: isPublic,
  // subscription set-up is checked by OrderTracker (shield does not guard it)
  Subscription: { orderUpdated: isAuthenticated, orderTracking: isPublic, orderFeed: isAuthenticated },
  OrderUpdate: isPublic,
};
