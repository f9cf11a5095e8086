import { badInput } from "../../../core/errors";
import type { GatewayCode, PaymentGateway } from "./payment-gateway";

/** Asks a gateway's sandbox simulator to pay (the sandbox-only simulatePayment mutation). */
export type SandboxPayer = (payment: { reference: string; gatewayReference: string | null }) => Promise<void>;

/** The configured gateways, built in the composition root. */
export class GatewayRegistry {
  private readonly gateways = new Map<string, { gateway: PaymentGateway; sandboxPay?: SandboxPayer }>();

  register(gateway: PaymentGateway, sandboxPay?: SandboxPayer): this {
    this.gateways.set(gateway.code, { gateway, sandboxPay });
    return this;
  }

  has(code: string): boolean {
    return this.gateways.has(code.toUpperCase());
  }

  get(code: string): PaymentGateway {
    const entry = this.gateways.get(code.toUpperCase());
    if (!entry) throw badInput(`Payment gateway ${code} is not configured`);
    return entry.gateway;
  }

  sandboxPayer(code: string): SandboxPayer | undefined {
    return this.gateways.get(code.toUpperCase())?.sandboxPay;
  }

  codes(): GatewayCode[] {
    return [...this.gateways.keys()] as GatewayCode[];
  }
}
