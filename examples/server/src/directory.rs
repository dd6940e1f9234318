//! What the server keeps beside the booking store: accounts, movies, which movie a show plays,
//! notifications and the notification worker's place in each show's log.
//!
//! In memory by default; on PostgreSQL (tables `srv_*` in the store's schema) when the server
//! runs on a database, so several instances share it.

use async_trait::async_trait;
use booking_core::{ShowId, Timestamp};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A role decides what an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Books seats for themself.
    Customer,
    /// Checks tickets in at the door.
    Staff,
    /// Runs the catalogue, the shows and the analytics; may act on any booking.
    Admin,
}

impl Role {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    /// From its stored name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "customer" => Some(Role::Customer),
            "staff" => Some(Role::Staff),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Assigned by the directory.
    pub id: u64,
    /// Lower-cased, unique.
    pub email: String,
    /// Display name.
    pub name: String,
    /// For SMS notifications.
    pub phone: Option<String>,
    /// What the account may do.
    pub role: Role,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// TOTP secret (base32), set up but perhaps not yet confirmed.
    pub totp_secret: Option<String>,
    /// Whether login asks for a TOTP code.
    pub totp_enabled: bool,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Lower-cased email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Phone, for SMS.
    pub phone: Option<String>,
    /// Role.
    pub role: Role,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// A film in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Movie {
    /// Assigned by the directory.
    pub id: u64,
    /// Title, shown on every show of it.
    pub title: String,
    /// Running time in minutes.
    pub runtime_minutes: u32,
    /// Age rating, e.g. `M/12`.
    pub rating: String,
    /// A few lines about it.
    pub synopsis: String,
}

/// The fields of a movie an admin writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MovieFields {
    /// Title (1 to 200 bytes).
    pub title: String,
    /// Running time in minutes (1 to 1,440).
    pub runtime_minutes: u32,
    /// Age rating (at most 16 bytes).
    #[serde(default)]
    pub rating: String,
    /// Synopsis (at most 2,000 bytes).
    #[serde(default)]
    pub synopsis: String,
}

/// A way to reach a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Email, by SMTP when configured.
    Email,
    /// Text message.
    Sms,
    /// Push to an app.
    Push,
}

impl Channel {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Push => "push",
        }
    }

    /// From its stored name.
    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "email" => Some(Channel::Email),
            "sms" => Some(Channel::Sms),
            "push" => Some(Channel::Push),
            _ => None,
        }
    }
}

/// A notification to one person on one channel, recorded before it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Assigned by the directory.
    pub id: u64,
    /// The recipient.
    pub user: u64,
    /// The channel.
    pub channel: Channel,
    /// What it is about: `booking_confirmed`, `booking_cancelled`, `booking_refunded`,
    /// `show_reminder`.
    pub kind: String,
    /// What makes it unique with its channel: the event (`show-3#17`) or the reminder
    /// (`reminder-3-booking-9`). The same key and channel are never recorded twice.
    pub dedupe_key: String,
    /// Subject line.
    pub subject: String,
    /// Text.
    pub body: String,
    /// When it was recorded.
    pub created_at: Timestamp,
    /// When the channel accepted it; `None` while pending.
    pub delivered_at: Option<Timestamp>,
    /// Delivery attempts so far.
    pub attempts: u32,
}

/// A notification to record.
#[derive(Debug, Clone)]
pub struct NewNotification {
    /// The recipient.
    pub user: u64,
    /// The channel.
    pub channel: Channel,
    /// What it is about.
    pub kind: String,
    /// Unique with the channel.
    pub dedupe_key: String,
    /// Subject line.
    pub subject: String,
    /// Text.
    pub body: String,
    /// Now.
    pub created_at: Timestamp,
}

/// Why the directory refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    /// The email is already registered.
    #[error("email already registered")]
    EmailTaken,
    /// The database is unreachable; a retry may succeed.
    #[error("directory unavailable: {0}")]
    Unavailable(String),
    /// The database failed.
    #[error("directory failure: {0}")]
    Failure(String),
}

/// Result of a directory call.
pub type DirResult<T> = Result<T, DirectoryError>;

/// The directory as the server holds it.
pub type DynDirectory = Arc<dyn Directory>;

/// The server's own records.
#[async_trait]
pub trait Directory: Send + Sync + 'static {
    /// Registers an account; `EmailTaken` if the email is known.
    async fn create_user(&self, user: NewUser) -> DirResult<User>;
    /// An account by id.
    async fn user(&self, id: u64) -> DirResult<Option<User>>;
    /// An account by (lower-cased) email.
    async fn user_by_email(&self, email: &str) -> DirResult<Option<User>>;
    /// Sets the TOTP secret and whether it is enforced.
    async fn set_totp(&self, id: u64, secret: Option<String>, enabled: bool) -> DirResult<()>;
    /// Whether any admin account exists.
    async fn has_admin(&self) -> DirResult<bool>;

    /// Adds a movie.
    async fn create_movie(&self, movie: MovieFields) -> DirResult<Movie>;
    /// Replaces a movie's fields; `None` if unknown.
    async fn update_movie(&self, id: u64, movie: MovieFields) -> DirResult<Option<Movie>>;
    /// Deletes a movie; false if unknown. Shows already scheduled keep their title.
    async fn delete_movie(&self, id: u64) -> DirResult<bool>;
    /// One movie.
    async fn movie(&self, id: u64) -> DirResult<Option<Movie>>;
    /// Every movie, by id.
    async fn movies(&self) -> DirResult<Vec<Movie>>;
    /// Records which movie a show plays.
    async fn link_show(&self, show: ShowId, movie: u64) -> DirResult<()>;
    /// The movie of each show that has one.
    async fn show_movies(&self) -> DirResult<Vec<(ShowId, u64)>>;

    /// Records notifications in one write, each unless its key and channel are already
    /// recorded; returns the ones recorded now.
    async fn add_notifications(&self, batch: Vec<NewNotification>) -> DirResult<Vec<Notification>>;
    /// Marks notifications delivered, in one write.
    async fn mark_delivered(&self, ids: &[u64], at: Timestamp) -> DirResult<()>;
    /// Counts a failed attempt.
    async fn mark_attempt_failed(&self, id: u64) -> DirResult<()>;
    /// Pending notifications created before `before`, oldest first, for another attempt.
    async fn pending_notifications(&self, before: Timestamp, limit: usize) -> DirResult<Vec<Notification>>;
    /// A person's notifications, newest first.
    async fn notifications_of(&self, user: u64, limit: usize) -> DirResult<Vec<Notification>>;

    /// Claims a one-time action: true for the first caller ever, false for every later one.
    async fn claim_once(&self, key: &str) -> DirResult<bool>;

    /// How far the notification worker has read a show's log.
    async fn cursor(&self, show: ShowId) -> DirResult<u64>;
    /// Moves those places forward (never back), in one write.
    async fn advance_cursors(&self, to: &[(ShowId, u64)]) -> DirResult<()>;
}
