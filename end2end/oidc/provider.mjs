// A real OpenID Provider (panva's oidc-provider) for the browser tests, on 127.0.0.1. Its
// development login form accepts any login and password; the account's e-mail is
// <login>@example.org. Playwright starts it (see playwright.config.ts) next to Quire.
//
//   OIDC_PORT        where to listen (default 3190)
//   OIDC_REDIRECT    the one registered redirect URI (Quire's /auth/<name>/callback)
import http from "node:http";
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT ?? 3190);
const redirectUri = process.env.OIDC_REDIRECT ?? "http://127.0.0.1:3100/auth/oidc/callback";
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "quire-e2e",
      client_secret: "quire-e2e-secret",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  // Every client must use PKCE here, confidential ones too.
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  claims: { openid: ["sub"], email: ["email", "email_verified"] },
  // Left at its default, the e-mail comes from the userinfo endpoint rather than the ID token,
  // as with several real providers: Quire then asks userinfo for it.
  cookies: { keys: ["quire-e2e-cookie-key-not-secret"] },
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, email: `${sub}@example.org`, email_verified: true };
      },
    };
  },
});

http.createServer(provider.callback()).listen(port, "127.0.0.1", () => {
  console.log(`OpenID provider for tests at ${issuer}`);
});
