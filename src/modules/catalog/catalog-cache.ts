import { createHash } from "node:crypto";
import type Redis from "ioredis";
import { ConfigError } from "../../core/config";
import { EnvReader } from "../../core/env";
import { currentScope, type RequestScope } from "../../core/request-context";

/** Parsed values kept in this process (a full 5,000-product catalog for one level is ~25,000). */
const MAX_LOCAL_ENTRIES = 100_000;

/** CATALOG_CACHE_TTL_SECONDS: how long a cached catalog read lives; 0 turns the cache off (every read goes to MySQL). */
export function loadCatalogCacheTtl(source: NodeJS.ProcessEnv = process.env): number {
  const env = new EnvReader(source);
  const ttl = env.int("CATALOG_CACHE_TTL_SECONDS", 600, 0, 7 * 24 * 3600);
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return ttl;
}

/**
 * Redis cache for public catalog reads. Every key carries the current catalog
 * version; any change (catalog, prices, sync) bumps the version after its
 * commit, so the next read misses and old entries simply expire. A TTL of 0
 * turns the cache off: reads go straight to MySQL (benchmarks, debugging).
 *
 * Values of the newest version are also kept parsed in this process, and a
 * request reads the version once: a cached listing costs one Redis GET, and a
 * page, its variants and prices come from one version. Cached values are
 * shared between requests: callers must not mutate them.
 */
export class CatalogCache {
  private readonly versions = new WeakMap<RequestScope, Promise<string>>();
  private local = { version: "", entries: new Map<string, { value: unknown; until: number }>() };

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 600,
  ) {}

  private get versionKey(): string {
    return `${this.prefix}:catalog:version`;
  }

  /** The catalog version, read once per request (or job). */
  version(): Promise<string> {
    const scope = currentScope();
    let version = scope && this.versions.get(scope);
    if (!version) {
      version = this.redis.get(this.versionKey).then((value) => this.seen(value ?? "0"));
      if (scope) this.versions.set(scope, version);
    }
    return version;
  }

  /** A version read just now replaces this process's copy when it differs (a bump, or Redis restarted empty). */
  private seen(version: string): string {
    if (version !== this.local.version) this.local = { version, entries: new Map() };
    return version;
  }

  /** Call after the change has committed. */
  async invalidate(): Promise<void> {
    const version = this.seen(String(await this.redis.incr(this.versionKey)));
    const scope = currentScope();
    if (scope) this.versions.set(scope, Promise.resolve(version)); // this request's later reads see its own change
  }

  /** One cached value, e.g. a page of the product listing; `parts` name it (hashed). */
  async getOrLoad<T>(namespace: string, parts: unknown, load: () => Promise<T>): Promise<T> {
    if (this.ttlSeconds === 0) return load();
    const version = await this.version();
    const name = `${namespace}:${hash(parts)}`;
    const local = this.localEntries(version);
    const hit = local?.get(name);
    if (hit && hit.until > Date.now()) return hit.value as T;
    const key = `${this.prefix}:catalog:${version}:${name}`;
    const cached = await this.redis.get(key);
    const value = cached !== null ? (JSON.parse(cached) as T) : await load();
    if (cached === null) await this.redis.set(key, JSON.stringify(value), "EX", this.ttlSeconds);
    this.remember(local, name, value);
    return value;
  }

  /**
   * Batch read for DataLoaders: this process's copy, one MGET for the rest, then
   * one `fetch` for the misses only. `fetch` returns a value per id it found;
   * ids it does not return are cached as null.
   */
  async loadMany<T>(namespace: string, ids: readonly string[], fetch: (missing: string[]) => Promise<Map<string, T>>): Promise<(T | null)[]> {
    if (ids.length === 0) return [];
    if (this.ttlSeconds === 0) {
      const fetched = await fetch([...ids]);
      return ids.map((id) => fetched.get(id) ?? null);
    }
    const version = await this.version();
    const local = this.localEntries(version);
    const now = Date.now();
    const values: (T | null)[] = new Array(ids.length);
    const remote: number[] = [];
    ids.forEach((id, index) => {
      const hit = local?.get(`${namespace}:${id}`);
      if (hit && hit.until > now) values[index] = hit.value as T | null;
      else remote.push(index);
    });
    if (remote.length === 0) return values;
    const keyOf = (id: string) => `${this.prefix}:catalog:${version}:${namespace}:${id}`;
    const cached = await this.redis.mget(...remote.map((index) => keyOf(ids[index])));
    const missing = remote.filter((_index, at) => cached[at] === null).map((index) => ids[index]);
    const fetched = missing.length > 0 ? await fetch(missing) : new Map<string, T>();
    if (missing.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const id of missing) pipeline.set(keyOf(id), JSON.stringify(fetched.get(id) ?? null), "EX", this.ttlSeconds);
      await pipeline.exec();
    }
    remote.forEach((index, at) => {
      const id = ids[index];
      const hit = cached[at];
      values[index] = hit !== null ? (JSON.parse(hit) as T | null) : fetched.get(id) ?? null;
      this.remember(local, `${namespace}:${id}`, values[index]);
    });
    return values;
  }

  /** This process's values of `version`; undefined for a request that read an older version. */
  private localEntries(version: string): Map<string, { value: unknown; until: number }> | undefined {
    return version === this.local.version ? this.local.entries : undefined;
  }

  private remember(local: Map<string, { value: unknown; until: number }> | undefined, name: string, value: unknown): void {
    if (!local) return;
    if (local.size >= MAX_LOCAL_ENTRIES) local.clear();
    local.set(name, { value, until: Date.now() + this.ttlSeconds * 1000 });
  }
}

function hash(parts: unknown): string {
  return createHash("sha1").update(JSON.stringify(parts)).digest("base64url");
}
