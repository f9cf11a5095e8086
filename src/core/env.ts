/**
 * Typed readers for environment variables. Every reader validates at boot and
 * collects problems, so a misconfigured store reports all of them in one go.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly source: NodeJS.ProcessEnv = process.env) {}

  str(name: string, fallback: string): string {
    const raw = this.source[name];
    return raw === undefined || raw === "" ? fallback : raw;
  }

  int(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const raw = this.source[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.source[name];
    if (raw === undefined || raw === "") return fallback;
    if (["1", "true", "yes", "on"].includes(raw.toLowerCase())) return true;
    if (["0", "false", "no", "off"].includes(raw.toLowerCase())) return false;
    this.problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.str(name, fallback);
    if (!allowed.includes(raw as T)) {
      this.problems.push(`${name} must be one of ${allowed.join(", ")}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  }

  url(name: string, fallback: string, protocols: readonly string[]): string {
    const raw = this.str(name, fallback);
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name} must use ${protocols.join(" or ")}, got "${redactUrl(raw)}"`);
      }
    } catch {
      this.problems.push(`${name} is not a valid URL: "${redactUrl(raw)}"`);
    }
    return raw;
  }

  /** A URL that may be left unset (undefined then). */
  optionalUrl(name: string, protocols: readonly string[]): string | undefined {
    return this.source[name] ? this.url(name, "", protocols) : undefined;
  }

  /** A secret: the development fallback is refused in production. */
  secret(name: string, devFallback: string, production: boolean, minLength = 16): string {
    const raw = this.source[name];
    if (raw === undefined || raw === "") {
      if (production) this.problems.push(`${name} is required in production`);
      return devFallback;
    }
    if (raw.length < minLength) this.problems.push(`${name} must be at least ${minLength} characters`);
    return raw;
  }
}

/** Hides the password part of a connection URL before it is printed or logged. */
export function redactUrl(raw: string): string {
  try {
    const parsed = new URL(raw);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return raw;
  }
}
