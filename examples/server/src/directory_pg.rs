//! The directory on PostgreSQL, in the booking store's schema, shared by every instance.

use crate::directory::*;
use async_trait::async_trait;
use booking_core::{ShowId, Timestamp};
use sqlx::{PgPool, Row, postgres::PgRow};

const SCHEMA_SQL: &str = include_str!("../migrations/server.sql");
/// Key of the advisory lock that serialises the schema setup of instances starting together.
const SCHEMA_LOCK_KEY: i64 = 0x6263_7372_7600;

/// Connections for the notification worker's writes, at most.
const RELAXED_CONNECTIONS_MAX: u32 = 2;

/// The PostgreSQL directory.
#[derive(Debug, Clone)]
pub struct PgDirectory {
    pool: PgPool,
    /// For the notification worker's records (notifications, cursors): commits that do not
    /// wait for the WAL flush, which cost a third of the database's time in a booking rush.
    /// Nothing is lost that matters: PostgreSQL writes the WAL in order, so a crash can only
    /// lose the newest of these records, and then the worker reads those events again (its
    /// cursor is among them) and delivers at least once, deduplicated as ever.
    relaxed: PgPool,
}

pub(crate) fn db_error(e: sqlx::Error) -> DirectoryError {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            DirectoryError::Unavailable(e.to_string())
        }
        other => DirectoryError::Failure(other.to_string()),
    }
}

pub(crate) fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

pub(crate) fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn user_of(row: &PgRow) -> Result<User, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(User {
        id: to_u64(row.try_get("id")?),
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        phone: row.try_get("phone")?,
        role: Role::parse(&role).unwrap_or(Role::Customer),
        password_hash: row.try_get("password_hash")?,
        totp_secret: row.try_get("totp_secret")?,
        totp_enabled: row.try_get("totp_enabled")?,
    })
}

fn movie_of(row: &PgRow) -> Result<Movie, sqlx::Error> {
    let runtime: i32 = row.try_get("runtime_minutes")?;
    Ok(Movie {
        id: to_u64(row.try_get("id")?),
        title: row.try_get("title")?,
        runtime_minutes: u32::try_from(runtime).unwrap_or(0),
        rating: row.try_get("rating")?,
        synopsis: row.try_get("synopsis")?,
    })
}

fn notification_of(row: &PgRow) -> Result<Notification, sqlx::Error> {
    let channel: String = row.try_get("channel")?;
    let attempts: i32 = row.try_get("attempts")?;
    Ok(Notification {
        id: to_u64(row.try_get("id")?),
        user: to_u64(row.try_get("user_id")?),
        channel: Channel::parse(&channel).unwrap_or(Channel::Email),
        kind: row.try_get("kind")?,
        dedupe_key: row.try_get("dedupe_key")?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        created_at: Timestamp(row.try_get("created_ms")?),
        delivered_at: row.try_get::<Option<i64>, _>("delivered_ms")?.map(Timestamp),
        attempts: u32::try_from(attempts).unwrap_or(0),
    })
}

const USER_COLUMNS: &str = "id, email, name, phone, role, password_hash, totp_secret, totp_enabled";
const NOTE_COLUMNS: &str =
    "id, user_id, channel, kind, dedupe_key, subject, body, created_ms, delivered_ms, attempts";

impl PgDirectory {
    /// The directory on `pool` (whose `search_path` is the store's schema); creates its tables
    /// when missing.
    pub async fn open(pool: PgPool) -> DirResult<PgDirectory> {
        let mut tx = pool.begin().await.map_err(db_error)?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(SCHEMA_LOCK_KEY)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        sqlx::raw_sql(SCHEMA_SQL).execute(&mut *tx).await.map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        let options = (*pool.connect_options()).clone().options([("synchronous_commit", "off")]);
        let relaxed = sqlx::postgres::PgPoolOptions::new()
            .max_connections(RELAXED_CONNECTIONS_MAX)
            .acquire_timeout(pool.options().get_acquire_timeout())
            .connect_lazy_with(options);
        Ok(PgDirectory { pool, relaxed })
    }
}

#[async_trait]
impl Directory for PgDirectory {
    async fn create_user(&self, u: NewUser) -> DirResult<User> {
        let sql = format!(
            "INSERT INTO srv_users (email, name, phone, role, password_hash) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (email) DO NOTHING RETURNING {USER_COLUMNS}"
        );
        let row = sqlx::query(&sql)
            .bind(&u.email)
            .bind(&u.name)
            .bind(&u.phone)
            .bind(u.role.as_str())
            .bind(&u.password_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)?;
        match row {
            Some(row) => user_of(&row).map_err(db_error),
            None => Err(DirectoryError::EmailTaken),
        }
    }

    async fn user(&self, id: u64) -> DirResult<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM srv_users WHERE id = $1");
        let row = sqlx::query(&sql).bind(to_i64(id)).fetch_optional(&self.pool).await.map_err(db_error)?;
        row.as_ref().map(user_of).transpose().map_err(db_error)
    }

    async fn user_by_email(&self, email: &str) -> DirResult<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM srv_users WHERE email = $1");
        let row = sqlx::query(&sql).bind(email).fetch_optional(&self.pool).await.map_err(db_error)?;
        row.as_ref().map(user_of).transpose().map_err(db_error)
    }

    async fn set_totp(&self, id: u64, secret: Option<String>, enabled: bool) -> DirResult<()> {
        sqlx::query("UPDATE srv_users SET totp_secret = $2, totp_enabled = $3 WHERE id = $1")
            .bind(to_i64(id))
            .bind(secret)
            .bind(enabled)
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn has_admin(&self) -> DirResult<bool> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM srv_users WHERE role = 'admin')")
            .fetch_one(&self.pool)
            .await
            .map_err(db_error)
    }

    async fn create_movie(&self, m: MovieFields) -> DirResult<Movie> {
        let row = sqlx::query(
            "INSERT INTO srv_movies (title, runtime_minutes, rating, synopsis) VALUES ($1, $2, $3, $4) \
             RETURNING id, title, runtime_minutes, rating, synopsis",
        )
        .bind(&m.title)
        .bind(i32::try_from(m.runtime_minutes).unwrap_or(i32::MAX))
        .bind(&m.rating)
        .bind(&m.synopsis)
        .fetch_one(&self.pool)
        .await
        .map_err(db_error)?;
        movie_of(&row).map_err(db_error)
    }

    async fn update_movie(&self, id: u64, m: MovieFields) -> DirResult<Option<Movie>> {
        let row = sqlx::query(
            "UPDATE srv_movies SET title = $2, runtime_minutes = $3, rating = $4, synopsis = $5 \
             WHERE id = $1 RETURNING id, title, runtime_minutes, rating, synopsis",
        )
        .bind(to_i64(id))
        .bind(&m.title)
        .bind(i32::try_from(m.runtime_minutes).unwrap_or(i32::MAX))
        .bind(&m.rating)
        .bind(&m.synopsis)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error)?;
        row.as_ref().map(movie_of).transpose().map_err(db_error)
    }

    async fn delete_movie(&self, id: u64) -> DirResult<bool> {
        let done = sqlx::query("DELETE FROM srv_movies WHERE id = $1")
            .bind(to_i64(id))
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(done.rows_affected() > 0)
    }

    async fn movie(&self, id: u64) -> DirResult<Option<Movie>> {
        let row =
            sqlx::query("SELECT id, title, runtime_minutes, rating, synopsis FROM srv_movies WHERE id = $1")
                .bind(to_i64(id))
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?;
        row.as_ref().map(movie_of).transpose().map_err(db_error)
    }

    async fn movies(&self) -> DirResult<Vec<Movie>> {
        let rows =
            sqlx::query("SELECT id, title, runtime_minutes, rating, synopsis FROM srv_movies ORDER BY id")
                .fetch_all(&self.pool)
                .await
                .map_err(db_error)?;
        rows.iter().map(movie_of).collect::<Result<_, _>>().map_err(db_error)
    }

    async fn link_show(&self, show: ShowId, movie: u64) -> DirResult<()> {
        sqlx::query(
            "INSERT INTO srv_show_movies (show_id, movie_id) VALUES ($1, $2) \
             ON CONFLICT (show_id) DO UPDATE SET movie_id = EXCLUDED.movie_id",
        )
        .bind(to_i64(show.0))
        .bind(to_i64(movie))
        .execute(&self.pool)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    async fn show_movies(&self) -> DirResult<Vec<(ShowId, u64)>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT show_id, movie_id FROM srv_show_movies")
            .fetch_all(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(rows.into_iter().map(|(s, m)| (ShowId(to_u64(s)), to_u64(m))).collect())
    }

    async fn add_notifications(&self, batch: Vec<NewNotification>) -> DirResult<Vec<Notification>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "INSERT INTO srv_notifications (user_id, channel, kind, dedupe_key, subject, body, created_ms) \
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
             $7::bigint[]) ON CONFLICT ON CONSTRAINT srv_notifications_once DO NOTHING RETURNING {NOTE_COLUMNS}"
        );
        let users: Vec<i64> = batch.iter().map(|n| to_i64(n.user)).collect();
        let channels: Vec<&str> = batch.iter().map(|n| n.channel.as_str()).collect();
        let kinds: Vec<&str> = batch.iter().map(|n| n.kind.as_str()).collect();
        let keys: Vec<&str> = batch.iter().map(|n| n.dedupe_key.as_str()).collect();
        let subjects: Vec<&str> = batch.iter().map(|n| n.subject.as_str()).collect();
        let bodies: Vec<&str> = batch.iter().map(|n| n.body.as_str()).collect();
        let created: Vec<i64> = batch.iter().map(|n| n.created_at.0).collect();
        let rows = sqlx::query(&sql)
            .bind(users)
            .bind(channels)
            .bind(kinds)
            .bind(keys)
            .bind(subjects)
            .bind(bodies)
            .bind(created)
            .fetch_all(&self.relaxed)
            .await
            .map_err(db_error)?;
        rows.iter().map(notification_of).collect::<Result<_, _>>().map_err(db_error)
    }

    async fn mark_delivered(&self, ids: &[u64], at: Timestamp) -> DirResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = ids.iter().map(|id| to_i64(*id)).collect();
        sqlx::query(
            "UPDATE srv_notifications SET delivered_ms = $2, attempts = attempts + 1 \
             WHERE id = ANY ($1) AND delivered_ms IS NULL",
        )
        .bind(ids)
        .bind(at.0)
        .execute(&self.relaxed)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    async fn mark_attempt_failed(&self, id: u64) -> DirResult<()> {
        sqlx::query("UPDATE srv_notifications SET attempts = attempts + 1 WHERE id = $1")
            .bind(to_i64(id))
            .execute(&self.relaxed)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn pending_notifications(&self, before: Timestamp, limit: usize) -> DirResult<Vec<Notification>> {
        let sql = format!(
            "SELECT {NOTE_COLUMNS} FROM srv_notifications WHERE delivered_ms IS NULL AND created_ms < $1 \
             ORDER BY id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(before.0)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await
            .map_err(db_error)?;
        rows.iter().map(notification_of).collect::<Result<_, _>>().map_err(db_error)
    }

    async fn notifications_of(&self, user: u64, limit: usize) -> DirResult<Vec<Notification>> {
        let sql = format!(
            "SELECT {NOTE_COLUMNS} FROM srv_notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(to_i64(user))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await
            .map_err(db_error)?;
        rows.iter().map(notification_of).collect::<Result<_, _>>().map_err(db_error)
    }

    async fn claim_once(&self, key: &str) -> DirResult<bool> {
        let done = sqlx::query("INSERT INTO srv_once (key) VALUES ($1) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn cursor(&self, show: ShowId) -> DirResult<u64> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT seq FROM srv_cursors WHERE show_id = $1")
            .bind(to_i64(show.0))
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(seq.map_or(0, to_u64))
    }

    async fn advance_cursors(&self, to: &[(ShowId, u64)]) -> DirResult<()> {
        if to.is_empty() {
            return Ok(());
        }
        // Sorted, so that two instances' writes lock the rows in the same order; one row per
        // show (the furthest), as one INSERT may not change a row twice.
        let mut to = to.to_vec();
        to.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        to.dedup_by_key(|(show, _)| *show);
        let shows: Vec<i64> = to.iter().map(|(show, _)| to_i64(show.0)).collect();
        let seqs: Vec<i64> = to.iter().map(|(_, seq)| to_i64(*seq)).collect();
        sqlx::query(
            "INSERT INTO srv_cursors (show_id, seq) SELECT * FROM unnest($1::bigint[], $2::bigint[]) \
             ON CONFLICT (show_id) DO UPDATE SET seq = GREATEST(srv_cursors.seq, EXCLUDED.seq)",
        )
        .bind(&shows)
        .bind(&seqs)
        .execute(&self.relaxed)
        .await
        .map_err(db_error)?;
        Ok(())
    }
}
