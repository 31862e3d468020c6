//! Short-lived JWT access tokens (HS256) for API clients.

use chrono::Utc;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// How long an access token is valid. Short, because it cannot be revoked before it expires.
pub const ACCESS_TOKEN_TTL_SECS: i64 = 15 * 60;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: i64,
    exp: i64,
    iss: String,
}

const ISSUER: &str = "tidilyspace";

/// Issues an access token for `user_id`.
pub fn issue(user_id: i64, secret: &[u8]) -> anyhow::Result<String> {
    let now = Utc::now().timestamp();
    let claims = Claims {
        sub: user_id.to_string(),
        iat: now,
        exp: now + ACCESS_TOKEN_TTL_SECS,
        iss: ISSUER.to_owned(),
    };
    Ok(encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret),
    )?)
}

/// The user ID in a valid, unexpired token signed with `secret`.
pub fn verify(token: &str, secret: &[u8]) -> Option<i64> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[ISSUER]);
    validation.leeway = 5;
    decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
        .ok()
        .and_then(|data| data.claims.sub.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects_other_keys() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let t = issue(42, secret).unwrap();
        assert_eq!(verify(&t, secret), Some(42));
        assert_eq!(verify(&t, b"another-secret-another-secret-xx"), None);
        assert_eq!(verify("not.a.jwt", secret), None);
    }
}
