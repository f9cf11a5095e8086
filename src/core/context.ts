import DataLoader from "dataloader";
import type { Role } from "../modules/identity/role";

/** Who is calling. Guests have no user row; resellers' systems come with an API token. */
export type Viewer =
  | { kind: "guest" }
  | {
      kind: "user";
      userId: string;
      roles: readonly Role[];
      levelCode: string;
      /** how the caller proved who they are */
      via: "session" | "api-token";
      sessionId?: string;
      tokenId?: string;
      scopes?: readonly string[];
      /** When the credential runs out (epoch ms; access JWTs): a WebSocket authenticated with it is closed then. */
      expiresAt?: number;
      /** RETAIL or RESELLER (reseller prices, API tokens) */
      customerType?: "RETAIL" | "RESELLER";
    };

export type UserViewer = Extract<Viewer, { kind: "user" }>;

export const GUEST: Viewer = { kind: "guest" };

/** Per-request DataLoaders, created on first use so a module owns its own loaders. */
export class LoaderCache {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();
  private readonly values = new Map<string, Promise<unknown>>();

  /** One value per request (e.g. a small table read whole), loaded on first use. */
  once<T>(name: string, load: () => Promise<T>): Promise<T> {
    let value = this.values.get(name);
    if (!value) this.values.set(name, (value = load()));
    return value as Promise<T>;
  }

  get<K, V>(name: string, create: () => DataLoader<K, V>): DataLoader<K, V> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = create() as DataLoader<unknown, unknown>;
      this.loaders.set(name, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

export interface GraphQLContext {
  requestId: string;
  ip: string;
  viewer: Viewer;
  loaders: LoaderCache;
}

/** Turns an Authorization header (or connection_init payload value) into a viewer. */
export type Authenticator = (authorization: string | undefined, ip: string) => Promise<Viewer>;

/** A credential that stopped working (logout, revoke, suspend): live WebSocket connections holding it are closed. */
export interface Revocation {
  userId?: string;
  sessionId?: string;
  tokenId?: string;
}

/** Subscribes to revocations from every process; returns the unsubscribe. */
export type RevocationFeed = (listener: (revocation: Revocation) => void) => () => void;
