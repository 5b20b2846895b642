// An OAuth 2.0 / OpenID Connect provider for Quire's Rust integration tests, built on
// oauth2-mock-server. It listens on 127.0.0.1 with a free port and prints one JSON line,
// {"issuer": "http://127.0.0.1:<port>"}, then serves until stdin closes (the test ends).
//
// Tests steer it with `PUT /_control` and a JSON body (every field optional):
//   sub, email            who the next tokens are about (default "johndoe", no email)
//   misbehave             "wrong_aud" | "wrong_nonce" | "expired" | "alg_none" | "wrong_iss" | null
//   require_pkce          refuse token requests that carry no code_verifier (default true)
// `GET /_control` returns what the provider saw last: the authorize query and whether the
// token request carried a code_verifier.
// It also plays GitHub's user API under /github (`/github/user`, `/github/user/emails`).
import http from "node:http";
import { OAuth2Issuer, OAuth2Service } from "oauth2-mock-server";

const behaviour = { sub: "johndoe", email: null, misbehave: null, require_pkce: true };
const seen = { authorize: null, token_had_verifier: null, token_requests: 0 };

const issuer = new OAuth2Issuer();
await issuer.keys.generate("RS256");
const service = new OAuth2Service(issuer);

service.on("beforeAuthorizeRedirect", (_redirect, req) => {
  seen.authorize = Object.fromEntries(new URL(req.url, issuer.url).searchParams);
});

service.on("beforeTokenSigning", (token, req) => {
  const isIdToken = !("scope" in token.payload);
  token.payload.sub = behaviour.sub;
  if (!isIdToken) return;
  if (behaviour.email) {
    token.payload.email = behaviour.email;
    token.payload.email_verified = true;
  }
  const now = Math.floor(Date.now() / 1000);
  switch (behaviour.misbehave) {
    case "wrong_aud":
      token.payload.aud = "some-other-client";
      break;
    case "wrong_nonce":
      token.payload.nonce = "not-the-nonce-quire-sent";
      break;
    case "expired":
      token.payload.iat = now - 7200;
      token.payload.nbf = now - 7200;
      token.payload.exp = now - 3600;
      break;
    case "wrong_iss":
      token.payload.iss = "http://127.0.0.1:1/";
      break;
  }
});

service.on("beforeResponse", (response, req) => {
  seen.token_requests += 1;
  seen.token_had_verifier = typeof req.body?.code_verifier === "string";
  if (behaviour.require_pkce && !seen.token_had_verifier) {
    response.statusCode = 400;
    response.body = { error: "invalid_grant", error_description: "code_verifier required" };
    return;
  }
  if (behaviour.misbehave === "alg_none" && response.body.id_token) {
    // Same claims, no signature: a client must refuse this.
    const [, payload] = response.body.id_token.split(".");
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    response.body.id_token = `${header}.${payload}.`;
  }
});

function readJson(req) {
  return new Promise((resolve, reject) => {
    let data = "";
    req.on("data", (chunk) => (data += chunk));
    req.on("end", () => {
      try {
        resolve(data ? JSON.parse(data) : {});
      } catch (error) {
        reject(error);
      }
    });
  });
}

function sendJson(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function control(req, res) {
  if (req.method === "PUT") {
    Object.assign(behaviour, await readJson(req));
    return sendJson(res, 200, behaviour);
  }
  return sendJson(res, 200, seen);
}

// GitHub's REST API as Quire uses it: the numeric id is the subject.
function github(req, res, path) {
  if (!/^Bearer \S+/.test(req.headers.authorization ?? "")) {
    return sendJson(res, 401, { message: "Requires authentication" });
  }
  const id = Number.parseInt(behaviour.sub, 10) || 4242;
  if (path === "/user") {
    return sendJson(res, 200, { id, login: `user${id}`, email: null });
  }
  if (path === "/user/emails") {
    const emails = behaviour.email ? [{ email: behaviour.email, primary: true, verified: true }] : [];
    return sendJson(res, 200, emails);
  }
  return sendJson(res, 404, { message: "Not Found" });
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url, "http://localhost").pathname;
  if (path === "/_control") {
    control(req, res).catch((error) => sendJson(res, 400, { error: String(error) }));
  } else if (path.startsWith("/github/")) {
    github(req, res, path.slice("/github".length));
  } else {
    service.requestHandler(req, res);
  }
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  issuer.url = `http://127.0.0.1:${port}`;
  process.stdout.write(`${JSON.stringify({ issuer: issuer.url })}\n`);
});

// The test that started us holds stdin open; when it ends, so do we.
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));
