//! The directory in memory: for the demo and tests, one process only.

use crate::directory::*;
use async_trait::async_trait;
use booking_core::{ShowId, Timestamp};
use parking_lot::Mutex;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

/// Most notifications kept; the oldest go first (their events are long read by then).
pub const MEMORY_NOTIFICATIONS_MAX: usize = 100_000;

#[derive(Default)]
struct Inner {
    users: BTreeMap<u64, User>,
    by_email: HashMap<String, u64>,
    movies: BTreeMap<u64, Movie>,
    show_movies: BTreeMap<ShowId, u64>,
    notifications: VecDeque<Notification>,
    dedupe: HashSet<(String, Channel)>,
    cursors: HashMap<ShowId, u64>,
    once: HashSet<String>,
    next_id: u64,
}

impl Inner {
    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn notification(&mut self, id: u64) -> Option<&mut Notification> {
        // Ids grow with position, so a binary search finds it.
        let at = self.notifications.binary_search_by_key(&id, |n| n.id).ok()?;
        self.notifications.get_mut(at)
    }
}

/// The in-memory directory.
#[derive(Default)]
pub struct MemoryDirectory {
    inner: Mutex<Inner>,
}

impl MemoryDirectory {
    /// An empty directory.
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait]
impl Directory for MemoryDirectory {
    async fn create_user(&self, new: NewUser) -> DirResult<User> {
        let mut g = self.inner.lock();
        if g.by_email.contains_key(&new.email) {
            return Err(DirectoryError::EmailTaken);
        }
        let id = g.id();
        let user = User {
            id,
            email: new.email,
            name: new.name,
            phone: new.phone,
            role: new.role,
            password_hash: new.password_hash,
            totp_secret: None,
            totp_enabled: false,
        };
        g.by_email.insert(user.email.clone(), id);
        g.users.insert(id, user.clone());
        Ok(user)
    }

    async fn user(&self, id: u64) -> DirResult<Option<User>> {
        Ok(self.inner.lock().users.get(&id).cloned())
    }

    async fn user_by_email(&self, email: &str) -> DirResult<Option<User>> {
        let g = self.inner.lock();
        Ok(g.by_email.get(email).and_then(|id| g.users.get(id)).cloned())
    }

    async fn set_totp(&self, id: u64, secret: Option<String>, enabled: bool) -> DirResult<()> {
        if let Some(u) = self.inner.lock().users.get_mut(&id) {
            u.totp_secret = secret;
            u.totp_enabled = enabled;
        }
        Ok(())
    }

    async fn has_admin(&self) -> DirResult<bool> {
        Ok(self.inner.lock().users.values().any(|u| u.role == Role::Admin))
    }

    async fn create_movie(&self, m: MovieFields) -> DirResult<Movie> {
        let mut g = self.inner.lock();
        let id = g.id();
        let movie = Movie {
            id,
            title: m.title,
            runtime_minutes: m.runtime_minutes,
            rating: m.rating,
            synopsis: m.synopsis,
        };
        g.movies.insert(id, movie.clone());
        Ok(movie)
    }

    async fn update_movie(&self, id: u64, m: MovieFields) -> DirResult<Option<Movie>> {
        let mut g = self.inner.lock();
        Ok(g.movies.get_mut(&id).map(|movie| {
            *movie = Movie {
                id,
                title: m.title,
                runtime_minutes: m.runtime_minutes,
                rating: m.rating,
                synopsis: m.synopsis,
            };
            movie.clone()
        }))
    }

    async fn delete_movie(&self, id: u64) -> DirResult<bool> {
        Ok(self.inner.lock().movies.remove(&id).is_some())
    }

    async fn movie(&self, id: u64) -> DirResult<Option<Movie>> {
        Ok(self.inner.lock().movies.get(&id).cloned())
    }

    async fn movies(&self) -> DirResult<Vec<Movie>> {
        Ok(self.inner.lock().movies.values().cloned().collect())
    }

    async fn link_show(&self, show: ShowId, movie: u64) -> DirResult<()> {
        self.inner.lock().show_movies.insert(show, movie);
        Ok(())
    }

    async fn show_movies(&self) -> DirResult<Vec<(ShowId, u64)>> {
        Ok(self.inner.lock().show_movies.iter().map(|(s, m)| (*s, *m)).collect())
    }

    async fn add_notifications(&self, batch: Vec<NewNotification>) -> DirResult<Vec<Notification>> {
        let mut g = self.inner.lock();
        let mut added = Vec::with_capacity(batch.len());
        for n in batch {
            if !g.dedupe.insert((n.dedupe_key.clone(), n.channel)) {
                continue;
            }
            let id = g.id();
            let note = Notification {
                id,
                user: n.user,
                channel: n.channel,
                kind: n.kind,
                dedupe_key: n.dedupe_key,
                subject: n.subject,
                body: n.body,
                created_at: n.created_at,
                delivered_at: None,
                attempts: 0,
            };
            g.notifications.push_back(note.clone());
            added.push(note);
        }
        while g.notifications.len() > MEMORY_NOTIFICATIONS_MAX {
            if let Some(old) = g.notifications.pop_front() {
                g.dedupe.remove(&(old.dedupe_key, old.channel));
            }
        }
        Ok(added)
    }

    async fn mark_delivered(&self, ids: &[u64], at: Timestamp) -> DirResult<()> {
        let mut g = self.inner.lock();
        for id in ids {
            if let Some(n) = g.notification(*id) {
                n.delivered_at = Some(at);
                n.attempts += 1;
            }
        }
        Ok(())
    }

    async fn mark_attempt_failed(&self, id: u64) -> DirResult<()> {
        if let Some(n) = self.inner.lock().notification(id) {
            n.attempts += 1;
        }
        Ok(())
    }

    async fn pending_notifications(&self, before: Timestamp, limit: usize) -> DirResult<Vec<Notification>> {
        let g = self.inner.lock();
        let pending = g.notifications.iter().filter(|n| n.delivered_at.is_none() && n.created_at < before);
        Ok(pending.take(limit).cloned().collect())
    }

    async fn notifications_of(&self, user: u64, limit: usize) -> DirResult<Vec<Notification>> {
        let g = self.inner.lock();
        Ok(g.notifications.iter().rev().filter(|n| n.user == user).take(limit).cloned().collect())
    }

    async fn claim_once(&self, key: &str) -> DirResult<bool> {
        Ok(self.inner.lock().once.insert(key.to_string()))
    }

    async fn cursor(&self, show: ShowId) -> DirResult<u64> {
        Ok(self.inner.lock().cursors.get(&show).copied().unwrap_or(0))
    }

    async fn advance_cursors(&self, to: &[(ShowId, u64)]) -> DirResult<()> {
        let mut g = self.inner.lock();
        for (show, seq) in to {
            let c = g.cursors.entry(*show).or_insert(0);
            *c = (*c).max(*seq);
        }
        Ok(())
    }
}
