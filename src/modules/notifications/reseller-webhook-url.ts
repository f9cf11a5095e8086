import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { badInput } from "../../core/errors";

// Destinations a reseller must not point the store at in live mode (SSRF):
// loopback, private, link-local, carrier-grade NAT, unspecified and unique-local ranges.
const PRIVATE = new BlockList();
for (const [net, prefix] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.168.0.0", 16]] as const) {
  PRIVATE.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10]] as const) PRIVATE.addSubnet(net, prefix, "ipv6");

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address); // IPv4-mapped IPv6
  if (mapped) return PRIVATE.check(mapped[1], "ipv4");
  return PRIVATE.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** Checks a reseller's webhook URL; returns it normalised. Throws BAD_USER_INPUT. */
export function checkWebhookUrl(raw: string, allowPrivateHosts: boolean): string {
  const text = raw.trim();
  if (text.length === 0 || text.length > 500) throw badInput("The webhook URL must be 1 to 500 characters");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput("The webhook URL is not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw badInput("The webhook URL must use https or http");
  if (url.username || url.password) throw badInput("The webhook URL must not contain credentials");
  if (!allowPrivateHosts && isPrivateHostName(url.hostname)) throw badInput("The webhook URL must point to a public host");
  return url.toString();
}

function isPrivateHostName(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || /\.(localhost|local|internal)$/.test(host)) return true;
  return isPrivateAddress(host);
}

/** At delivery time in live mode: refuse a name that resolves to a private address (DNS can change after the URL was set). */
export async function assertPublicDestination(url: string): Promise<void> {
  const { hostname } = new URL(url);
  if (isPrivateHostName(hostname)) throw new Error("destination is not a public host");
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return;
  const addresses = await lookup(host, { all: true });
  if (addresses.some(({ address }) => isPrivateAddress(address))) throw new Error(`${host} resolves to a private address`);
}
