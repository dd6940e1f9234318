//! Who is calling: passwords (Argon2id, in `password`), access tokens (JWT, HS256), the optional TOTP second
//! factor, and the [`Principal`] extractor every protected route takes.

use crate::app::AppState;
use crate::directory::{Role, User};
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use booking_core::{Actor, OwnerId};
use dashmap::DashMap;

pub use crate::password::{
    ARGON2_MEMORY_KIB, ARGON2_PASSES, PASSWORD_BYTES_MAX, PASSWORD_CHARS_MIN, check_password, hash_password,
    verify_password,
};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The issuer named in, and required of, every token.
pub const TOKEN_ISSUER: &str = "booking-server";

/// What an access token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The account id.
    pub sub: String,
    /// Its role when the token was issued.
    pub role: Role,
    /// Issuer: always [`TOKEN_ISSUER`].
    pub iss: String,
    /// Issued at (seconds since the epoch).
    pub iat: u64,
    /// Expires at (seconds since the epoch).
    pub exp: u64,
    /// The token's own id: a logout revokes it.
    pub jti: String,
    /// The sign-in it belongs to (every token refreshed from one login): revoked as a whole
    /// when a used refresh token comes back.
    pub fam: String,
}

/// Tokens remembered as verified, at most (a few hundred bytes each).
pub const VERIFIED_TOKENS_MAX: usize = 8_192;

/// Seconds a token is still taken after its `exp` (clock skew between instances).
const LEEWAY_SECS: u64 = 5;

/// Signs and checks access tokens.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Lifetime of a token, in seconds.
    pub ttl_secs: u64,
    /// Tokens verified already, by their exact text: decoding and checking a token took a
    /// seventh of a hold request's time, and a client sends the same one with every request.
    /// Only a token that passed [`TokenKeys::verify`] in full gets in; its expiry is checked
    /// on every use.
    verified: Arc<DashMap<Box<str>, Claims>>,
    /// Revoked token ids and sign-ins, each until it expires, merged from the shared sessions
    /// every sweep (see `sessions.rs`).
    revoked_tokens: Arc<DashMap<String, u64>>,
    revoked_sign_ins: Arc<DashMap<String, u64>>,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys").field("ttl_secs", &self.ttl_secs).finish_non_exhaustive()
    }
}

impl TokenKeys {
    /// Keys from a secret of at least 32 bytes.
    pub fn new(secret: &[u8], ttl_secs: u64) -> TokenKeys {
        let mut validation = Validation::new(jsonwebtoken::Algorithm::HS256);
        validation.set_issuer(&[TOKEN_ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.leeway = LEEWAY_SECS;
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_secs,
            verified: Arc::default(),
            revoked_tokens: Arc::default(),
            revoked_sign_ins: Arc::default(),
        }
    }

    /// A random id, 128 bits in hex: token ids, sign-in ids and refresh tokens are made of them.
    pub fn random_id() -> String {
        let mut bytes = [0u8; 16];
        crate::secrets::fill_random(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Marks `key` (`jti:<id>` or `fam:<id>`) revoked on this instance at once, until
    /// `expires_secs`.
    pub fn revoke_here(&self, key: &str, expires_secs: u64) {
        if let Some(set) = self.revoked_set(key) {
            set.insert(key[4..].to_string(), expires_secs);
        }
    }

    /// Adds the shared revocations (as [`crate::sessions::Sessions::revoked`] lists them), so
    /// those made on other instances hold here too, and forgets the expired ones. A revocation
    /// is never undone, so nothing live is ever dropped.
    pub fn merge_revoked(&self, keys: Vec<(String, u64)>) {
        let now = unix_now_secs();
        for set in [&self.revoked_tokens, &self.revoked_sign_ins] {
            set.retain(|_, exp| *exp > now);
        }
        for (key, exp) in keys {
            self.revoke_here(&key, exp);
        }
    }

    /// The set a key's prefix names: `jti:` a token's, `fam:` a sign-in's.
    fn revoked_set(&self, key: &str) -> Option<&DashMap<String, u64>> {
        match key.get(..4) {
            Some("jti:") => Some(&self.revoked_tokens),
            Some("fam:") => Some(&self.revoked_sign_ins),
            _ => None,
        }
    }

    /// Looked up by the claims' own text: nothing allocated on a request's path.
    fn is_revoked(&self, claims: &Claims) -> bool {
        self.revoked_tokens.contains_key(claims.jti.as_str())
            || self.revoked_sign_ins.contains_key(claims.fam.as_str())
    }

    /// A token for `user` in the sign-in `family`, valid from `now_secs` for `ttl_secs`.
    pub fn issue(&self, user: &User, family: &str, now_secs: u64) -> Result<String, ApiError> {
        let claims = Claims {
            sub: user.id.to_string(),
            role: user.role,
            iss: TOKEN_ISSUER.into(),
            iat: now_secs,
            exp: now_secs + self.ttl_secs,
            jti: TokenKeys::random_id(),
            fam: family.to_string(),
        };
        jsonwebtoken::encode(&Header::new(jsonwebtoken::Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::internal(format!("sign token: {e}")))
    }

    /// The claims of a genuine, unexpired token.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let expired = || ApiError::unauthorized("the access token has expired");
        let revoked = || ApiError::unauthorized("the access token was revoked (logged out)");
        if let Some(known) = self.verified.get(token) {
            return if known.exp + LEEWAY_SECS <= unix_now_secs() {
                Err(expired())
            } else if self.is_revoked(&known) {
                Err(revoked())
            } else {
                Ok(known.clone())
            };
        }
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => expired(),
                _ => ApiError::unauthorized("the access token is not genuine"),
            })?;
        if self.verified.len() >= VERIFIED_TOKENS_MAX {
            // Forget the expired ones; if they were all live, forget them all (they verify again).
            let now = unix_now_secs();
            self.verified.retain(|_, c| c.exp + LEEWAY_SECS > now);
            if self.verified.len() >= VERIFIED_TOKENS_MAX {
                self.verified.clear();
            }
        }
        if self.is_revoked(&claims) {
            return Err(revoked());
        }
        self.verified.insert(token.into(), claims.clone());
        Ok(claims)
    }

    /// Tokens remembered as verified now.
    pub fn verified_count(&self) -> usize {
        self.verified.len()
    }
}

/// Seconds since the epoch by the system clock (tokens are checked against it).
pub fn unix_now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The account id.
    pub user: u64,
    /// Its role.
    pub role: Role,
    /// The access token's id (a logout revokes it).
    pub token_id: String,
    /// When the access token expires (seconds since the epoch).
    pub token_expires: u64,
    /// The sign-in the token belongs to.
    pub sign_in: String,
}

impl Principal {
    /// The owner id that holds and bookings of this account carry.
    pub fn owner(&self) -> OwnerId {
        owner_of(self.user)
    }

    /// How the engine sees this caller: admins act for anyone.
    pub fn actor(&self) -> Actor {
        match self.role {
            Role::Admin => Actor::Staff,
            Role::Customer | Role::Staff => Actor::Owner(self.owner()),
        }
    }

    /// Refuses anyone but an admin with 403.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        match self.role {
            Role::Admin => Ok(()),
            _ => Err(ApiError::forbidden("this needs the admin role")),
        }
    }

    /// Refuses customers with 403 (staff and admins pass).
    pub fn require_staff(&self) -> Result<(), ApiError> {
        match self.role {
            Role::Admin | Role::Staff => Ok(()),
            Role::Customer => Err(ApiError::forbidden("this needs the staff or admin role")),
        }
    }
}

/// The owner id of an account: `user-<id>`.
pub fn owner_of(user: u64) -> OwnerId {
    // "user-" and a u64 always make a valid owner id (short, printable).
    OwnerId::new(&format!("user-{user}")).unwrap_or_else(|_| unreachable!("valid owner id"))
}

impl FromRequestParts<Arc<AppState>> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("log in first: send Authorization: Bearer <token>"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or_else(|| ApiError::unauthorized("the Authorization header must be `Bearer <token>`"))?;
        let claims = state.tokens.verify(token.trim())?;
        let user =
            claims.sub.parse().map_err(|_| ApiError::unauthorized("the access token is not genuine"))?;
        Ok(Principal {
            user,
            role: claims.role,
            token_id: claims.jti,
            token_expires: claims.exp,
            sign_in: claims.fam,
        })
    }
}

/// TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of skew either way).
pub mod totp {
    use crate::error::ApiError;
    use totp_rs::{Algorithm, Secret, TOTP};

    fn build(secret_b32: &str, account: &str) -> Result<TOTP, ApiError> {
        let bytes = Secret::Encoded(secret_b32.to_string())
            .to_bytes()
            .map_err(|e| ApiError::internal(format!("stored TOTP secret: {e:?}")))?;
        TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, Some("booking-core".into()), account.to_string())
            .map_err(|e| ApiError::internal(format!("TOTP: {e}")))
    }

    /// A fresh random secret, base32.
    pub fn new_secret() -> String {
        let mut bytes = [0u8; 20];
        crate::secrets::fill_random(&mut bytes);
        match Secret::Raw(bytes.to_vec()).to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => String::new(),
        }
    }

    /// The `otpauth://` URL an authenticator app scans.
    pub fn url(secret_b32: &str, account: &str) -> Result<String, ApiError> {
        Ok(build(secret_b32, account)?.get_url())
    }

    /// The time step of `code` when it is the current code or one step off at `unix_secs`
    /// (compared in constant time); `None` when it is neither. A caller accepts each step once.
    pub fn matching_step(
        secret_b32: &str,
        account: &str,
        code: &str,
        unix_secs: u64,
    ) -> Result<Option<u64>, ApiError> {
        let totp = build(secret_b32, account)?;
        let code = code.trim().as_bytes();
        let mut found = None;
        for at in [unix_secs.saturating_sub(totp.step), unix_secs, unix_secs + totp.step] {
            let expected = totp.generate(at);
            let same = expected.len() == code.len()
                && expected.bytes().zip(code).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
            if same {
                found = Some(at / totp.step);
            }
        }
        Ok(found)
    }

    /// The code at `unix_secs` (for tests and for clients that simulate an authenticator).
    pub fn code_at(secret_b32: &str, account: &str, unix_secs: u64) -> Result<String, ApiError> {
        Ok(build(secret_b32, account)?.generate(unix_secs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(keys: &TokenKeys, sub: &str, exp: u64) -> String {
        let claims = Claims {
            sub: sub.into(),
            role: Role::Customer,
            iss: TOKEN_ISSUER.into(),
            iat: 0,
            exp,
            jti: TokenKeys::random_id(),
            fam: "f".into(),
        };
        jsonwebtoken::encode(&Header::new(jsonwebtoken::Algorithm::HS256), &claims, &keys.encoding)
            .unwrap_or_default()
    }

    #[test]
    fn verified_tokens_are_remembered_exactly_and_still_expire() {
        let keys = TokenKeys::new(&[7; 32], 3_600);
        let live = token(&keys, "1", unix_now_secs() + 600);
        assert_eq!(keys.verify(&live).map(|c| c.sub).ok().as_deref(), Some("1"));
        assert_eq!(keys.verified_count(), 1);
        assert!(keys.verify(&live).is_ok(), "remembered");
        // A token that differs by one character is not the remembered one, and is not genuine.
        let mut forged = live.clone();
        let last = forged.pop().map_or('A', |c| if c == 'A' { 'B' } else { 'A' });
        forged.push(last);
        assert!(keys.verify(&forged).is_err());
        assert_eq!(keys.verified_count(), 1, "a refused token is not remembered");
        // Another secret's token is refused too.
        let other = TokenKeys::new(&[8; 32], 3_600);
        assert!(keys.verify(&token(&other, "1", unix_now_secs() + 600)).is_err());
        // A remembered token whose time has come is refused as expired.
        if let Some(mut c) = keys.verified.get_mut(live.as_str()) {
            c.exp = unix_now_secs() - LEEWAY_SECS - 1;
        }
        assert_eq!(keys.verify(&live).err().map(|e| e.message), Some("the access token has expired".into()));
    }

    #[test]
    fn what_is_remembered_stays_bounded() {
        let keys = TokenKeys::new(&[7; 32], 3_600);
        let exp = unix_now_secs() + 600;
        for i in 0..VERIFIED_TOKENS_MAX + 10 {
            assert!(keys.verify(&token(&keys, &i.to_string(), exp)).is_ok());
            assert!(keys.verified_count() <= VERIFIED_TOKENS_MAX);
        }
    }
}
