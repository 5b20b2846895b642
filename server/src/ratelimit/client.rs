//! Who is asking, for rate limiting.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::header::AUTHORIZATION;
use axum::http::Request;
use sha2::{Digest, Sha256};

use crate::auth::AuthSession;

/// Who a request counts against, and whether it comes from a signed-in browser session.
pub struct Client {
    pub key: String,
    pub browser_session: bool,
}

/// The token's hash (never the token), else the session's user, else the client address.
pub fn client_key<B>(request: &Request<B>, trusted_proxies: &[IpAddr]) -> Client {
    let bearer = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(secret) = bearer {
        let digest = Sha256::digest(secret.as_bytes());
        return Client {
            key: format!("token:{}", hex::encode(&digest[..12])),
            browser_session: false,
        };
    }
    let session_user = request
        .extensions()
        .get::<AuthSession>()
        .and_then(|auth| auth.user.as_ref())
        .map(|user| user.id.clone());
    if let Some(user_id) = session_user {
        return Client {
            key: format!("user:{user_id}"),
            browser_session: true,
        };
    }
    Client {
        key: format!("ip:{}", client_ip(request, trusted_proxies)),
        browser_session: false,
    }
}

/// The peer address; behind a trusted proxy, the nearest `X-Forwarded-For` hop it vouches for.
fn client_ip<B>(request: &Request<B>, trusted_proxies: &[IpAddr]) -> String {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let Some(peer) = peer else {
        return "unknown".into();
    };
    if !trusted_proxies.contains(&peer) {
        return peer.to_string();
    }
    // Read right to left: each trusted proxy appended the address it saw.
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter_map(|s| s.parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted_proxies.contains(ip))
        .unwrap_or(peer)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(peer: &str, forwarded: Option<&str>) -> Request<()> {
        let mut builder = Request::builder().uri("/api/v1/process");
        if let Some(value) = forwarded {
            builder = builder.header("x-forwarded-for", value);
        }
        let mut request = builder.body(()).unwrap();
        let addr: SocketAddr = format!("{peer}:5000").parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
        request
    }

    #[test]
    fn forwarded_for_is_ignored_from_untrusted_peers() {
        let r = request("203.0.113.9", Some("1.2.3.4"));
        assert_eq!(client_key(&r, &[]).key, "ip:203.0.113.9");
    }

    #[test]
    fn forwarded_for_names_the_client_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let r = request("10.0.0.1", Some("1.2.3.4, 198.51.100.7"));
        assert_eq!(client_key(&r, &[proxy]).key, "ip:198.51.100.7");
    }

    #[test]
    fn tokens_are_keyed_by_hash_not_by_secret() {
        let mut r = request("127.0.0.1", None);
        r.headers_mut()
            .insert(AUTHORIZATION, "Bearer qk_secret".parse().unwrap());
        let client = client_key(&r, &[]);
        assert!(client.key.starts_with("token:"));
        assert!(!client.key.contains("secret"));
    }
}
