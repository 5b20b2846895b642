//! The rate-limit headers clients read.

use axum::http::{HeaderMap, HeaderName, HeaderValue};

use super::Decision;

pub fn add(headers: &mut HeaderMap, decision: &Decision) {
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    set(
        "ratelimit-policy",
        format!("\"{}\";q={};w=60", decision.policy, decision.limit),
    );
    set(
        "ratelimit",
        format!(
            "\"{}\";r={};t={}",
            decision.policy, decision.remaining, decision.reset_after
        ),
    );
    set("x-ratelimit-limit", decision.limit.to_string());
    set("x-ratelimit-remaining", decision.remaining.to_string());
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    set(
        "x-ratelimit-reset",
        (now + decision.reset_after as i64).to_string(),
    );
    if let Some(wait) = decision.retry_after {
        set("retry-after", wait.to_string());
    }
}
