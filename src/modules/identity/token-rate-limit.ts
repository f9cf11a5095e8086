import type Redis from "ioredis";
import { rateLimited } from "../../core/errors";

/**
 * Per-token request budget: a one-minute window that starts at the token's
 * first request (SET NX EX) and counts with INCR, atomically in one MULTI, so
 * many API processes share the same count.
 */
export class TokenRateLimit {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Counts one request; throws RATE_LIMITED (with retryAfterSeconds) once the budget is spent. */
  async consume(tokenId: string, budgetPerMinute: number): Promise<void> {
    const key = `${this.prefix}:api-rate:${tokenId}`;
    const results = await this.redis.multi().set(key, "0", "EX", 60, "NX").incr(key).ttl(key).exec();
    const count = Number(results?.[1]?.[1] ?? 0);
    const ttl = Number(results?.[2]?.[1] ?? 60);
    if (count > budgetPerMinute) {
      const error = rateLimited(ttl > 0 ? ttl : 60, `API token budget of ${budgetPerMinute} requests per minute is spent`);
      error.extensions.http = { status: 429 };
      throw error;
    }
  }
}
