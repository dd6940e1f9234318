//! Sign-in state that every instance shares: refresh tokens (rotated at each use; one presented
//! again after its use revokes its whole sign-in, as a stolen copy would be), access tokens and
//! sign-ins revoked before they expire (logout), and the last TOTP step each account used (a
//! code counts once). Each instance keeps the revoked set in memory (`TokenKeys`) and reloads it
//! every sweep, so a logout on one instance holds on every other within a sweep period.

use crate::directory::DirResult;
use async_trait::async_trait;
use std::sync::Arc;

/// A refresh token to remember.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRefresh {
    /// SHA-256 of the token's text, hex (the text itself is never stored).
    pub hash: String,
    /// The account.
    pub user: u64,
    /// The sign-in it belongs to: every token rotated from one login.
    pub family: String,
    /// When it stops working (seconds since the epoch).
    pub expires_secs: u64,
}

/// What presenting a refresh token found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// Unused and live: now used, and the caller gets a new one of the same sign-in.
    Fresh {
        /// The account.
        user: u64,
        /// Its sign-in.
        family: String,
    },
    /// Used already: someone holds a copy. The sign-in must be revoked.
    Reused {
        /// Its sign-in.
        family: String,
    },
    /// Unknown, expired or revoked.
    Unknown,
}

/// Where sign-in state lives: in memory for one process, or in PostgreSQL beside the directory.
#[async_trait]
pub trait Sessions: Send + Sync + 'static {
    /// Remembers a refresh token.
    async fn add_refresh(&self, r: NewRefresh) -> DirResult<()>;
    /// Uses the refresh token whose hash is `hash`, once.
    async fn take_refresh(&self, hash: &str, now_secs: u64) -> DirResult<Taken>;
    /// Forgets every refresh token of a sign-in.
    async fn drop_family(&self, family: &str) -> DirResult<()>;
    /// Revokes `key` (`jti:<id>` or `fam:<id>`) until `expires_secs`.
    async fn revoke(&self, key: &str, expires_secs: u64) -> DirResult<()>;
    /// Every key revoked and not yet expired, with its expiry.
    async fn revoked(&self, now_secs: u64) -> DirResult<Vec<(String, u64)>>;
    /// Records that `user` signed in with the TOTP code of `step`: false when that step, or a
    /// later one, was used already (a replay).
    async fn use_totp_step(&self, user: u64, step: u64) -> DirResult<bool>;
}

/// The sessions as the server holds them.
pub type DynSessions = Arc<dyn Sessions>;

/// Refresh tokens kept in memory, at most (a hundred bytes each); beyond, the ones closest to
/// expiring go first.
pub const MEMORY_REFRESH_TOKENS_MAX: usize = 100_000;

/// The sessions of one process.
#[derive(Default)]
pub struct MemorySessions {
    inner: parking_lot::Mutex<MemoryInner>,
}

#[derive(Default)]
struct MemoryInner {
    /// hash → (token, used).
    refresh: std::collections::HashMap<String, (NewRefresh, bool)>,
    revoked: std::collections::HashMap<String, u64>,
    totp: std::collections::HashMap<u64, u64>,
}

#[async_trait]
impl Sessions for MemorySessions {
    async fn add_refresh(&self, r: NewRefresh) -> DirResult<()> {
        let mut g = self.inner.lock();
        if g.refresh.len() >= MEMORY_REFRESH_TOKENS_MAX {
            let now = crate::auth::unix_now_secs();
            g.refresh.retain(|_, (t, _)| t.expires_secs > now);
            if g.refresh.len() >= MEMORY_REFRESH_TOKENS_MAX {
                let soonest =
                    g.refresh.iter().min_by_key(|(_, (t, _))| t.expires_secs).map(|(h, _)| h.clone());
                if let Some(h) = soonest {
                    g.refresh.remove(&h);
                }
            }
        }
        g.refresh.insert(r.hash.clone(), (r, false));
        Ok(())
    }

    async fn take_refresh(&self, hash: &str, now_secs: u64) -> DirResult<Taken> {
        let mut g = self.inner.lock();
        Ok(match g.refresh.get_mut(hash) {
            Some((t, used)) if t.expires_secs > now_secs => {
                if *used {
                    Taken::Reused { family: t.family.clone() }
                } else {
                    *used = true;
                    Taken::Fresh { user: t.user, family: t.family.clone() }
                }
            }
            _ => Taken::Unknown,
        })
    }

    async fn drop_family(&self, family: &str) -> DirResult<()> {
        self.inner.lock().refresh.retain(|_, (t, _)| t.family != family);
        Ok(())
    }

    async fn revoke(&self, key: &str, expires_secs: u64) -> DirResult<()> {
        let mut g = self.inner.lock();
        let now = crate::auth::unix_now_secs();
        g.revoked.retain(|_, exp| *exp > now);
        g.revoked.insert(key.to_string(), expires_secs);
        Ok(())
    }

    async fn revoked(&self, now_secs: u64) -> DirResult<Vec<(String, u64)>> {
        let g = self.inner.lock();
        Ok(g.revoked.iter().filter(|(_, exp)| **exp > now_secs).map(|(k, exp)| (k.clone(), *exp)).collect())
    }

    async fn use_totp_step(&self, user: u64, step: u64) -> DirResult<bool> {
        let mut g = self.inner.lock();
        let last = g.totp.entry(user).or_insert(0);
        if *last >= step {
            return Ok(false);
        }
        *last = step;
        Ok(true)
    }
}

/// The sessions in PostgreSQL (tables in `migrations/server.sql`), shared by every instance.
#[derive(Debug, Clone)]
pub struct PgSessions {
    pool: sqlx::PgPool,
}

impl PgSessions {
    /// Over the directory's pool (its schema was applied when the directory opened).
    pub fn new(pool: sqlx::PgPool) -> PgSessions {
        PgSessions { pool }
    }
}

#[async_trait]
impl Sessions for PgSessions {
    async fn add_refresh(&self, r: NewRefresh) -> DirResult<()> {
        use crate::directory_pg::{db_error, to_i64};
        sqlx::query(
            "INSERT INTO srv_refresh_tokens (hash, user_id, family, expires_s) VALUES ($1, $2, $3, $4)",
        )
        .bind(&r.hash)
        .bind(to_i64(r.user))
        .bind(&r.family)
        .bind(to_i64(r.expires_secs))
        .execute(&self.pool)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    async fn take_refresh(&self, hash: &str, now_secs: u64) -> DirResult<Taken> {
        use crate::directory_pg::{db_error, to_i64, to_u64};
        use sqlx::Row;
        // One statement: of two racing uses of one token, exactly one finds it unused.
        let row = sqlx::query(
            "WITH found AS (SELECT hash, used FROM srv_refresh_tokens WHERE hash = $1 AND expires_s > $2 FOR UPDATE), \
             taken AS (UPDATE srv_refresh_tokens t SET used = TRUE FROM found \
                       WHERE t.hash = found.hash AND NOT found.used RETURNING t.user_id, t.family) \
             SELECT (SELECT user_id FROM taken) AS user_id, \
                    COALESCE((SELECT family FROM taken), \
                             (SELECT family FROM srv_refresh_tokens WHERE hash = $1 AND expires_s > $2)) AS family",
        )
        .bind(hash)
        .bind(to_i64(now_secs))
        .fetch_one(&self.pool)
        .await
        .map_err(db_error)?;
        let user: Option<i64> = row.try_get("user_id").map_err(db_error)?;
        let family: Option<String> = row.try_get("family").map_err(db_error)?;
        Ok(match (user, family) {
            (Some(user), Some(family)) => Taken::Fresh { user: to_u64(user), family },
            (None, Some(family)) => Taken::Reused { family },
            _ => Taken::Unknown,
        })
    }

    async fn drop_family(&self, family: &str) -> DirResult<()> {
        use crate::directory_pg::db_error;
        sqlx::query("DELETE FROM srv_refresh_tokens WHERE family = $1")
            .bind(family)
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn revoke(&self, key: &str, expires_secs: u64) -> DirResult<()> {
        use crate::directory_pg::{db_error, to_i64};
        let now = to_i64(crate::auth::unix_now_secs());
        sqlx::query("DELETE FROM srv_revoked_tokens WHERE expires_s <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        sqlx::query(
            "INSERT INTO srv_revoked_tokens (key, expires_s) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET expires_s = GREATEST(srv_revoked_tokens.expires_s, EXCLUDED.expires_s)",
        )
        .bind(key)
        .bind(to_i64(expires_secs))
        .execute(&self.pool)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    async fn revoked(&self, now_secs: u64) -> DirResult<Vec<(String, u64)>> {
        use crate::directory_pg::{db_error, to_i64, to_u64};
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT key, expires_s FROM srv_revoked_tokens WHERE expires_s > $1")
                .bind(to_i64(now_secs))
                .fetch_all(&self.pool)
                .await
                .map_err(db_error)?;
        Ok(rows.into_iter().map(|(k, exp)| (k, to_u64(exp))).collect())
    }

    async fn use_totp_step(&self, user: u64, step: u64) -> DirResult<bool> {
        use crate::directory_pg::{db_error, to_i64};
        let done = sqlx::query(
            "INSERT INTO srv_totp_steps (user_id, step) VALUES ($1, $2) \
             ON CONFLICT (user_id) DO UPDATE SET step = EXCLUDED.step WHERE srv_totp_steps.step < EXCLUDED.step",
        )
        .bind(to_i64(user))
        .bind(to_i64(step))
        .execute(&self.pool)
        .await
        .map_err(db_error)?;
        Ok(done.rows_affected() == 1)
    }
}
