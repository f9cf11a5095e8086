import type { Scenario } from "../lib/bench";
import { trivial } from "./trivial";
import { listing } from "./listing";
import { listingCached } from "./listing-cached";
import { checkout } from "./checkout";
import { hotWallet } from "./hot-wallet";
import { subscriptions } from "./subscriptions";
import { guestFlow } from "./guest-flow";
import { supplierWorker } from "./supplier-worker";
import { memory } from "./memory";

/** Every scenario of `npm run bench`, in the order they run (memory last: it reads the run's peaks). */
export const SCENARIOS: Scenario[] = [trivial, listing, listingCached, checkout, hotWallet, guestFlow, subscriptions, supplierWorker, memory];
