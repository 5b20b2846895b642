//! Personal API tokens: 256 random bits, shown once, stored as SHA-256.
//! A fast hash is right here: unlike passwords, the secrets are too long to guess.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Every secret starts with this, so leaked tokens are easy to recognise and scan for.
pub const PREFIX: &str = "qk_";

/// How much of the secret is kept in the clear to tell tokens apart in lists.
const SHOWN_CHARS: usize = PREFIX.len() + 6;

pub struct NewSecret {
    pub secret: String,
    pub hash: String,
    pub shown_prefix: String,
}

pub fn generate() -> NewSecret {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    NewSecret {
        hash: hash(&secret),
        shown_prefix: secret[..SHOWN_CHARS].to_owned(),
        secret,
    }
}

pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_carry_256_random_bits_and_differ() {
        let a = generate();
        let b = generate();
        assert_ne!(a.secret, b.secret);
        // 32 bytes in unpadded base64 are 43 characters.
        assert_eq!(a.secret.len(), PREFIX.len() + 43);
        assert!(a.secret.starts_with(&a.shown_prefix));
        assert_eq!(a.hash, hash(&a.secret));
        assert_ne!(a.hash, a.secret);
    }
}
