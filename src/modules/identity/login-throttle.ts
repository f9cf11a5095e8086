import type Redis from "ioredis";
import { rateLimited } from "../../core/errors";
import type { IdentityConfig } from "./identity.config";
import { sha256 } from "./secrets";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Failed sign-ins counted in Redis per email and per IP: after a few, each
 * attempt is slowed; past the limit, sign-ins are refused with RATE_LIMITED
 * until the counter expires. Unknown emails are counted the same way, so the
 * answer never reveals whether an account exists.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly config: IdentityConfig,
  ) {}

  private keys(email: string, ip: string): [string, string] {
    return [`${this.prefix}:login-fail:email:${sha256(email)}`, `${this.prefix}:login-fail:ip:${ip}`];
  }

  /** Refuses or slows an attempt before the password is checked. */
  async beforeAttempt(email: string, ip: string): Promise<void> {
    const [emailKey, ipKey] = this.keys(email, ip);
    const [byEmail, byIp] = (await this.redis.mget(emailKey, ipKey)).map((value) => Number(value ?? 0));
    const lockedKeys = [
      ...(byEmail >= this.config.loginMaxFailuresPerEmail ? [emailKey] : []),
      ...(byIp >= this.config.loginMaxFailuresPerIp ? [ipKey] : []),
    ];
    if (lockedKeys.length > 0) {
      const ttls = await Promise.all(lockedKeys.map((key) => this.redis.ttl(key)));
      throw rateLimited(Math.max(1, ...ttls), "Too many failed sign-ins; try again later");
    }
    if (byEmail >= this.config.loginSlowAfter) await sleep(this.config.loginSlowDelayMs);
  }

  async failed(email: string, ip: string): Promise<void> {
    const lock = this.config.loginLockSeconds;
    const multi = this.redis.multi();
    for (const key of this.keys(email, ip)) multi.incr(key).expire(key, lock);
    await multi.exec();
  }

  /** A successful sign-in clears the email's counter (the IP's keeps counting down). */
  async succeeded(email: string, ip: string): Promise<void> {
    await this.redis.del(this.keys(email, ip)[0]);
  }
}
