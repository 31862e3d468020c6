//! Signed tokens (HS256 JWTs): short-lived access tokens for API clients, and the long-lived
//! device token that tells the log-in throttle a browser has logged in to an account before.
//!
//! Every token names its audience: the deployment's public origin (`BASE_URL`), plus a
//! suffix for device tokens. So a token from staging is refused by production even if the two
//! ever shared a secret, and a device token can never be used as an access token.

use chrono::Utc;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// How long an access token is valid. Short, because it cannot be revoked before it expires.
pub const ACCESS_TOKEN_TTL_SECS: i64 = 15 * 60;
/// How long a browser is remembered as one the account has logged in from.
pub const DEVICE_TOKEN_TTL_SECS: i64 = 365 * 86_400;

const ISSUER: &str = "tidilyspace";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: i64,
    exp: i64,
    iss: String,
    aud: String,
}

/// The keys and audience of one deployment.
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    audience: String,
    device_audience: String,
}

impl Tokens {
    /// Tokens signed with `secret` for the deployment at `origin` (e.g. `https://tidilyspace.com`).
    pub fn new(secret: &[u8], origin: &str) -> Tokens {
        Tokens {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            audience: origin.to_owned(),
            device_audience: format!("{origin}#device"),
        }
    }

    /// An access token for `user_id`.
    pub fn issue_access(&self, user_id: i64) -> anyhow::Result<String> {
        self.issue(user_id, &self.audience, ACCESS_TOKEN_TTL_SECS)
    }

    /// The user ID in a valid, unexpired access token of this deployment.
    pub fn verify_access(&self, token: &str) -> Option<i64> {
        self.verify(token, &self.audience)
    }

    /// A device token for a browser that just logged in to `user_id`.
    pub fn issue_device(&self, user_id: i64) -> anyhow::Result<String> {
        self.issue(user_id, &self.device_audience, DEVICE_TOKEN_TTL_SECS)
    }

    /// The account a device token was issued for.
    pub fn verify_device(&self, token: &str) -> Option<i64> {
        self.verify(token, &self.device_audience)
    }

    fn issue(&self, user_id: i64, audience: &str, ttl: i64) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            iat: now,
            exp: now + ttl,
            iss: ISSUER.to_owned(),
            aud: audience.to_owned(),
        };
        Ok(encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    fn verify(&self, token: &str, audience: &str) -> Option<i64> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        decode::<Claims>(token, &self.decoding, &validation)
            .ok()
            .and_then(|data| data.claims.sub.parse().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn round_trip_and_rejects_other_keys_and_audiences() {
        let prod = Tokens::new(SECRET, "https://tidilyspace.com");
        let t = prod.issue_access(42).unwrap();
        assert_eq!(prod.verify_access(&t), Some(42));
        let other_key = Tokens::new(
            b"another-secret-another-secret-xx",
            "https://tidilyspace.com",
        );
        assert_eq!(other_key.verify_access(&t), None);
        let staging = Tokens::new(SECRET, "https://staging.tidilyspace.com");
        assert_eq!(staging.verify_access(&t), None);
        assert_eq!(prod.verify_access("not.a.jwt"), None);
        // A device token is not an access token, nor the other way round.
        let device = prod.issue_device(42).unwrap();
        assert_eq!(prod.verify_device(&device), Some(42));
        assert_eq!(prod.verify_access(&device), None);
        assert_eq!(prod.verify_device(&t), None);
    }
}
