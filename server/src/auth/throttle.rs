//! Slows down password guessing without locking the owner out for long: after N failures for an
//! account (or M for a client address) further attempts get 429 until the lockout passes.
//! A success clears the account's count. In memory, per process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct LoginThrottle {
    per_account: u32,
    per_address: u32,
    lockout: Duration,
    failures: Mutex<HashMap<String, Failures>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Entries are dropped when the map grows past this, oldest first, so guessing from many
/// addresses cannot grow memory without bound.
const MAX_KEYS: usize = 100_000;

impl LoginThrottle {
    pub fn new(per_account: u32, per_address: u32, lockout: Duration) -> Self {
        LoginThrottle {
            per_account,
            per_address,
            lockout,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds to wait)` when the account or the address is locked out.
    pub fn check(&self, account: &str, address: &str) -> Result<(), u64> {
        let now = Instant::now();
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let wait = [
            (account_key(account), self.per_account),
            (address_key(address), self.per_address),
        ]
        .into_iter()
        .filter_map(|(key, limit)| {
            let f = map.get(&key)?;
            let until = f.last + self.lockout;
            (f.count >= limit && until > now).then(|| until - now)
        })
        .max();
        match wait {
            Some(wait) => Err(wait.as_secs().max(1)),
            None => Ok(()),
        }
    }

    pub fn record_failure(&self, account: &str, address: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_KEYS {
            let lockout = self.lockout;
            map.retain(|_, f| now.duration_since(f.last) < lockout);
        }
        for key in [account_key(account), address_key(address)] {
            let entry = map.entry(key).or_insert(Failures {
                count: 0,
                last: now,
            });
            // A lockout that has passed starts a fresh count.
            if now.duration_since(entry.last) >= self.lockout {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last = now;
        }
    }

    pub fn record_success(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&account_key(account));
    }
}

fn account_key(account: &str) -> String {
    format!("account:{account}")
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_throttled_after_its_failure_limit() {
        let t = LoginThrottle::new(3, 100, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(t.check("ada@example.org", "10.0.0.1").is_ok());
            t.record_failure("ada@example.org", "10.0.0.1");
        }
        let wait = t.check("ada@example.org", "10.0.0.2").unwrap_err();
        assert!((1..=60).contains(&wait));
        // Another account from the same address is unaffected.
        assert!(t.check("bob@example.org", "10.0.0.1").is_ok());
    }

    #[test]
    fn an_address_is_throttled_across_accounts() {
        let t = LoginThrottle::new(100, 2, Duration::from_secs(60));
        t.record_failure("a@example.org", "10.0.0.9");
        t.record_failure("b@example.org", "10.0.0.9");
        assert!(t.check("c@example.org", "10.0.0.9").is_err());
        assert!(t.check("c@example.org", "10.0.0.8").is_ok());
    }

    #[test]
    fn the_lockout_ends_by_itself() {
        let t = LoginThrottle::new(1, 100, Duration::from_millis(30));
        t.record_failure("ada@example.org", "10.0.0.1");
        assert!(t.check("ada@example.org", "10.0.0.1").is_err());
        std::thread::sleep(Duration::from_millis(40));
        assert!(t.check("ada@example.org", "10.0.0.1").is_ok());
    }

    #[test]
    fn success_clears_the_account_count() {
        let t = LoginThrottle::new(2, 100, Duration::from_secs(60));
        t.record_failure("ada@example.org", "10.0.0.1");
        t.record_success("ada@example.org");
        t.record_failure("ada@example.org", "10.0.0.1");
        assert!(t.check("ada@example.org", "10.0.0.1").is_ok());
    }
}
