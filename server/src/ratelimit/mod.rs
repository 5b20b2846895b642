//! API rate limits: GCRA buckets per client in memory (`governor`). A client is its API token,
//! else its signed-in user, else its address (`X-Forwarded-For` only from trusted proxies).
//! Every limited answer carries `RateLimit`/`RateLimit-Policy` (IETF draft) and the older
//! `X-RateLimit-*` headers; a 429 adds `Retry-After` and the JSON envelope.

mod client;
mod headers;
mod middleware;

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

pub use client::client_key;
pub use middleware::limit;

type Limiter =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// One named limit: `per_minute` requests, refilled evenly over the minute.
pub struct Policy {
    pub name: &'static str,
    pub per_minute: u32,
    limiter: Limiter,
}

/// The outcome of counting one request against a policy.
pub struct Decision {
    pub policy: &'static str,
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the bucket is full again.
    pub reset_after: u64,
    /// Set when the request is refused: seconds to wait.
    pub retry_after: Option<u64>,
}

impl Policy {
    fn new(name: &'static str, per_minute: u32) -> Policy {
        let per_minute = per_minute.max(1);
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        Policy {
            name,
            per_minute,
            limiter: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
        }
    }

    pub fn check(&self, key: &str) -> Decision {
        let refill = Duration::from_secs(60) / self.per_minute;
        match self.limiter.check_key(&key.to_owned()) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                let used = self.per_minute.saturating_sub(remaining);
                Decision {
                    policy: self.name,
                    limit: self.per_minute,
                    remaining,
                    reset_after: (refill * used).as_secs_f64().ceil() as u64,
                    retry_after: None,
                }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                let retry_after = (wait.as_secs_f64().ceil() as u64).max(1);
                Decision {
                    policy: self.name,
                    limit: self.per_minute,
                    remaining: 0,
                    reset_after: (refill * self.per_minute).as_secs(),
                    retry_after: Some(retry_after),
                }
            }
        }
    }
}

/// The limits of one process.
pub struct RateLimits {
    /// Every API request from a script (token) or an anonymous client.
    pub general: Policy,
    /// One-call processing and report creation, for every client including browser sessions.
    pub costly: Policy,
    pub trusted_proxies: Vec<IpAddr>,
}

impl RateLimits {
    pub fn new(per_minute: u32, costly_per_minute: u32, trusted_proxies: Vec<IpAddr>) -> Self {
        RateLimits {
            general: Policy::new("default", per_minute),
            costly: Policy::new("costly", costly_per_minute),
            trusted_proxies,
        }
    }

    /// Forgets clients whose buckets are full again, so memory stays bounded.
    pub fn forget_idle(&self) {
        self.general.limiter.retain_recent();
        self.costly.limiter.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_after_the_burst_is_refused_with_a_wait() {
        let policy = Policy::new("costly", 5);
        for expected_remaining in (0..5).rev() {
            let decision = policy.check("a");
            assert_eq!(decision.retry_after, None);
            assert_eq!(decision.remaining, expected_remaining);
        }
        let refused = policy.check("a");
        assert_eq!(refused.remaining, 0);
        assert!(matches!(refused.retry_after, Some(s) if (1..=12).contains(&s)));
        // Another client has its own bucket.
        assert_eq!(policy.check("b").retry_after, None);
    }
}
