import { createHash } from "node:crypto";
import type Redis from "ioredis";
import { ConfigError } from "../../core/config";
import { EnvReader } from "../../core/env";

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
 */
export class CatalogCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 600,
  ) {}

  private get versionKey(): string {
    return `${this.prefix}:catalog:version`;
  }

  async version(): Promise<string> {
    return (await this.redis.get(this.versionKey)) ?? "0";
  }

  /** Call after the change has committed. */
  async invalidate(): Promise<void> {
    await this.redis.incr(this.versionKey);
  }

  /** One cached value, e.g. a page of the product listing; `parts` name it (hashed). */
  async getOrLoad<T>(namespace: string, parts: unknown, load: () => Promise<T>): Promise<T> {
    if (this.ttlSeconds === 0) return load();
    const key = `${this.prefix}:catalog:${await this.version()}:${namespace}:${hash(parts)}`;
    const cached = await this.redis.get(key);
    if (cached !== null) return JSON.parse(cached) as T;
    const value = await load();
    await this.redis.set(key, JSON.stringify(value), "EX", this.ttlSeconds);
    return value;
  }

  /**
   * Batch read for DataLoaders: one MGET, then one `fetch` for the misses only.
   * `fetch` returns a value per id it found; ids it does not return are cached as null.
   */
  async loadMany<T>(namespace: string, ids: readonly string[], fetch: (missing: string[]) => Promise<Map<string, T>>): Promise<(T | null)[]> {
    if (ids.length === 0) return [];
    if (this.ttlSeconds === 0) {
      const fetched = await fetch([...ids]);
      return ids.map((id) => fetched.get(id) ?? null);
    }
    const version = await this.version();
    const keys = ids.map((id) => `${this.prefix}:catalog:${version}:${namespace}:${id}`);
    const cached = await this.redis.mget(...keys);
    const missing = ids.filter((_id, index) => cached[index] === null);
    const fetched = missing.length > 0 ? await fetch(missing) : new Map<string, T>();
    if (missing.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const id of missing) {
        pipeline.set(`${this.prefix}:catalog:${version}:${namespace}:${id}`, JSON.stringify(fetched.get(id) ?? null), "EX", this.ttlSeconds);
      }
      await pipeline.exec();
    }
    return ids.map((id, index) => {
      const hit = cached[index];
      return hit !== null ? (JSON.parse(hit) as T | null) : fetched.get(id) ?? null;
    });
  }
}

function hash(parts: unknown): string {
  return createHash("sha1").update(JSON.stringify(parts)).digest("base64url");
}
