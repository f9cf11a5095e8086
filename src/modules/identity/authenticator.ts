import { GUEST, type Authenticator } from "../../core/context";
import type { ApiTokenService } from "./api-token.service";
import { API_TOKEN_PREFIX } from "./secrets";
import type { SessionService } from "./session.service";
import { refusedCredential } from "./viewer";

/**
 * `Authorization: Bearer <credential>` (HTTP header or graphql-ws connection_init):
 * `lpk_…` is a reseller API token, anything else an access JWT. No header is a
 * guest; a credential that is given and fails is refused (never downgraded to guest).
 */
export function createAuthenticator(sessions: SessionService, apiTokens: ApiTokenService): Authenticator {
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === "") return GUEST;
    const match = /^Bearer\s+(\S{1,2048})\s*$/i.exec(authorization);
    if (!match) throw refusedCredential("Authorization must be `Bearer <token>`");
    const credential = match[1];
    return credential.startsWith(API_TOKEN_PREFIX) ? apiTokens.authenticate(credential) : sessions.authenticate(credential);
  };
}
