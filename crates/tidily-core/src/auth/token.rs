//! Opaque random tokens (sessions, refresh tokens, API tokens, CSRF) and their stored hashes.
//!
//! Tokens carry 256 bits from the OS RNG, so a fast SHA-256 is the right hash for storage: it
//! cannot be brute-forced, and lookups by hash are a single index probe.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix of personal API tokens, so they are recognisable (and scannable in leaked code).
pub const API_TOKEN_PREFIX: &str = "tds_";

/// A new random token, URL-safe base64 of 32 bytes.
pub fn random() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The hex SHA-256 of a token: what the database keeps.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Constant-time comparison for secrets presented by clients (CSRF tokens).
pub fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hash_stably() {
        let (a, b) = (random(), random());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(digest(&a), digest(&a));
        assert_eq!(digest(&a).len(), 64);
        assert!(equal(&a, &a.clone()));
        assert!(!equal(&a, &b));
    }
}
