//! Notifications: a worker reads every show's event log (the outbox) and tells people about
//! their bookings on each channel, exactly one record per event and channel, delivered at least
//! once.

use crate::app::AppState;
use crate::directory::{Channel, NewNotification, Notification, User};
use crate::templates::{NoteContext, render};
use async_trait::async_trait;
use booking_core::{
    BookingId, Event, EventKind, Money, OwnerId, SeatIdx, Show, ShowFilter, ShowId, Timestamp,
};
use parking_lot::Mutex;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Events read from one show's log per step.
const EVENTS_PAGE: usize = 500;
/// Notifications retried per step.
const RETRY_BATCH: usize = 100;
/// A pending notification is retried when it is older than this.
const RETRY_AFTER_MS: i64 = 30_000;
/// Shows that ended longer ago than this are no longer watched.
const WATCH_AFTER_END_MS: i64 = 7 * 24 * 3_600_000;

/// A channel's sender.
#[async_trait]
pub trait Notifier: Send + Sync + 'static {
    /// Sends one message to `to` (an email address, a phone number, a push topic).
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String>;
}

/// Writes notifications to the log instead of sending them (the default for every channel).
#[derive(Debug, Clone, Copy)]
pub struct LogNotifier(pub Channel);

/// Shows enough of an address to tell people apart in logs, not to contact them.
pub fn mask(to: &str) -> String {
    let keep: String = to.chars().take(2).collect();
    match to.split_once('@') {
        Some((_, domain)) => format!("{keep}***@{domain}"),
        None => format!("{keep}***"),
    }
}

#[async_trait]
impl Notifier for LogNotifier {
    async fn send(&self, to: &str, subject: &str, _body: &str) -> Result<(), String> {
        tracing::info!(channel = self.0.as_str(), to = %mask(to), subject, "notification");
        Ok(())
    }
}

/// Email through an SMTP relay (plain SMTP to a relay on the host or its network).
pub struct SmtpNotifier {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpNotifier {
    /// From `smtp://host:port` and a sender address.
    pub fn new(url: &str, from: &str) -> Result<SmtpNotifier, String> {
        let rest = url.strip_prefix("smtp://").ok_or("smtp_url must start with smtp://")?;
        let (host, port) = match rest.trim_end_matches('/').rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| "smtp_url: bad port")?),
            None => (rest, 25),
        };
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(Duration::from_secs(10)))
            .build();
        let from = from.parse().map_err(|e| format!("smtp_from: {e}"))?;
        Ok(SmtpNotifier { transport, from })
    }
}

#[async_trait]
impl Notifier for SmtpNotifier {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        use lettre::AsyncTransport;
        let to = to.parse().map_err(|e| format!("recipient: {e}"))?;
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .body(body.to_string())
            .map_err(|e| format!("message: {e}"))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| format!("smtp: {e}"))
    }
}

/// The sender of each channel.
#[derive(Clone)]
pub struct Notifiers {
    /// Email.
    pub email: Arc<dyn Notifier>,
    /// SMS.
    pub sms: Arc<dyn Notifier>,
    /// Push.
    pub push: Arc<dyn Notifier>,
}

impl std::fmt::Debug for Notifiers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Notifiers")
    }
}

impl Notifiers {
    /// Every channel to the log.
    pub fn log() -> Notifiers {
        Notifiers {
            email: Arc::new(LogNotifier(Channel::Email)),
            sms: Arc::new(LogNotifier(Channel::Sms)),
            push: Arc::new(LogNotifier(Channel::Push)),
        }
    }

    /// Email by SMTP when configured; the rest to the log.
    pub fn from_config(c: &crate::config::Config) -> Result<Notifiers, String> {
        let mut n = Notifiers::log();
        if let Some(url) = &c.smtp_url {
            n.email = Arc::new(SmtpNotifier::new(url, &c.smtp_from)?);
        }
        Ok(n)
    }

    fn of(&self, channel: Channel) -> &Arc<dyn Notifier> {
        match channel {
            Channel::Email => &self.email,
            Channel::Sms => &self.sms,
            Channel::Push => &self.push,
        }
    }
}

/// Where each channel reaches `user`; channels it cannot reach are left out.
fn addresses(user: &User) -> Vec<(Channel, String)> {
    let mut out = vec![(Channel::Email, user.email.clone())];
    if let Some(phone) = &user.phone {
        out.push((Channel::Sms, phone.clone()));
    }
    out.push((Channel::Push, format!("user-{}", user.id)));
    out
}

/// The account id behind an owner id `user-<id>`.
pub fn user_of_owner(owner: &str) -> Option<u64> {
    owner.strip_prefix("user-")?.parse().ok()
}

/// Steps between two reads of every show's log: between them the worker reads only the logs of
/// shows this instance changed (changes by other instances, and reminders falling due, wait at
/// most this many steps).
const FULL_SCAN_STEPS: u32 = 15;

/// Pending bookings whose creation the worker remembers, at most.
const CREATED_MAX: usize = 50_000;

/// What a notification says about a booking: from its creation's event, or read.
#[derive(Debug, Clone)]
struct About {
    owner: OwnerId,
    seats: Arc<[SeatIdx]>,
    total: Money,
}

/// The worker's memory between steps: where it is in each log, the shows reminded, the steps
/// since it last read every log, and the pending bookings it saw created (so that their
/// confirmation is told without reading the booking back: one statement per booking).
#[derive(Default)]
struct WorkerState {
    cursors: HashMap<ShowId, u64>,
    reminded: HashSet<ShowId>,
    since_full_scan: u32,
    created: HashMap<BookingId, About>,
}

impl WorkerState {
    /// Remembers or forgets what `e` tells of a booking; what a confirmation needs, if known.
    fn learn(&mut self, e: &EventKind) -> Option<About> {
        match e {
            EventKind::BookingCreated { booking, owner, seats, total, .. } => {
                // Full: the confirmations of later ones read their booking.
                if self.created.len() < CREATED_MAX {
                    let about = About { owner: owner.clone(), seats: seats.clone(), total: *total };
                    self.created.insert(*booking, about);
                }
                None
            }
            EventKind::BookingConfirmed { booking, .. } => self.created.remove(booking),
            EventKind::BookingExpired { booking, .. } | EventKind::BookingCancelled { booking, .. } => {
                self.created.remove(booking);
                None
            }
            _ => None,
        }
    }
}

/// Runs until `stopped`: every `notify_ms`, reads new events, sends, retries.
pub async fn worker(state: Arc<AppState>, stopped: watch::Receiver<bool>) {
    let memory = Mutex::new(WorkerState::default());
    let period = Duration::from_millis(state.config.notify_ms.max(10));
    crate::app::every(period, stopped, || async {
        if let Err(e) = step(&state, &memory).await {
            tracing::warn!(error = %e.message, "notification step failed");
        }
    })
    .await;
}

async fn step(state: &AppState, memory: &Mutex<WorkerState>) -> Result<(), crate::error::ApiError> {
    let changed = state.live.take_changed();
    let full = {
        let mut m = memory.lock();
        m.since_full_scan += 1;
        changed.is_none() || m.since_full_scan >= FULL_SCAN_STEPS
    };
    // One step reads each person and theatre once, whatever the shows it reads.
    let mut out = Outgoing::default();
    match changed.filter(|_| !full) {
        Some(ids) => {
            let mut shows = Vec::with_capacity(ids.len());
            for id in ids {
                shows.push(state.engine.show(id).await?);
            }
            read_logs(state, memory, &shows, &mut out).await?;
        }
        None => {
            full_scan(state, memory, &mut out).await?;
            memory.lock().since_full_scan = 0;
        }
    }
    let before = Timestamp(state.engine.now().0.saturating_sub(RETRY_AFTER_MS));
    let retry = state.directory.pending_notifications(before, RETRY_BATCH).await?;
    out.flush(state, memory).await?;
    for n in &retry {
        if let Some(user) = out.user(state, n.user).await? {
            out.users.insert(user.id, user);
        }
    }
    out.send(state, retry).await
}

/// Reads the log of every show still watched, and sends the reminders that fell due.
async fn full_scan(
    state: &AppState,
    memory: &Mutex<WorkerState>,
    out: &mut Outgoing,
) -> Result<(), crate::error::ApiError> {
    let now = state.engine.now();
    let filter = ShowFilter { include_cancelled: true, ..ShowFilter::default() };
    let shows = state.engine.shows(&filter).await?;
    let watched: Vec<Arc<Show>> =
        shows.iter().filter(|s| now.millis_since(s.ends_at) < WATCH_AFTER_END_MS).cloned().collect();
    read_logs(state, memory, &watched, out).await?;
    for show in &watched {
        let window = state.config.reminder_minutes.saturating_mul(60_000);
        let due = show.starts_at.millis_since(now) <= window && now < show.starts_at;
        if due
            && show.status == booking_core::ShowStatus::Scheduled
            && !memory.lock().reminded.contains(&show.id)
        {
            remind(state, memory, show).await?;
            memory.lock().reminded.insert(show.id);
        }
    }
    Ok(())
}

/// People a step keeps once read, at most; past it they are read again.
const USERS_KEPT_MAX: usize = 1_000;

/// Notifications a step gathers before it records and sends them.
const FLUSH_AT: usize = 1_000;

/// The notifications a step gathers from every log it reads (or from one show's reminders):
/// recorded in one write, then sent, then marked delivered in one write, and then the logs'
/// cursors move past them in one write. (One write per notification and channel cost a rush six
/// statements per booking; four writes per show's page, a third of a statement per booking.)
/// Recorded before sending, and sent before the cursors move, so a crash in between leaves them
/// pending, to be retried: delivered at least once, never recorded twice. People and theatres
/// are read once per step (a person's new address counts from the next step).
#[derive(Default)]
struct Outgoing {
    users: HashMap<u64, User>,
    theatres: HashMap<booking_core::TheatreId, String>,
    new: Vec<NewNotification>,
    /// Where each log read is, once what it told is recorded.
    cursors: Vec<(ShowId, u64)>,
}

impl Outgoing {
    /// A person, read once per step.
    async fn user(&self, state: &AppState, id: u64) -> Result<Option<User>, crate::error::ApiError> {
        match self.users.get(&id) {
            Some(u) => Ok(Some(u.clone())),
            None => Ok(state.directory.user(id).await?),
        }
    }

    /// Records what was gathered, sends it, marks what went out, then moves the cursors.
    async fn flush(
        &mut self,
        state: &AppState,
        memory: &Mutex<WorkerState>,
    ) -> Result<(), crate::error::ApiError> {
        if !self.new.is_empty() {
            let created = state.directory.add_notifications(std::mem::take(&mut self.new)).await?;
            self.send(state, created).await?;
            // Bounded: past the limit, people are read again.
            if self.users.len() > USERS_KEPT_MAX {
                self.users.clear();
            }
        }
        if !self.cursors.is_empty() {
            let cursors = std::mem::take(&mut self.cursors);
            state.directory.advance_cursors(&cursors).await?;
            memory.lock().cursors.extend(cursors);
        }
        Ok(())
    }

    /// Sends `notes` to their addressees (among `users`) and records how it went.
    async fn send(&self, state: &AppState, notes: Vec<Notification>) -> Result<(), crate::error::ApiError> {
        let mut delivered = Vec::with_capacity(notes.len());
        for n in &notes {
            let Some(user) = self.users.get(&n.user) else { continue };
            let Some((_, to)) = addresses(user).into_iter().find(|(c, _)| *c == n.channel) else { continue };
            match state.notifiers.of(n.channel).send(&to, &n.subject, &n.body).await {
                Ok(()) => {
                    delivered.push(n.id);
                    state.metrics.notifications_sent.inc();
                }
                Err(e) => {
                    tracing::warn!(channel = n.channel.as_str(), notification = n.id, error = %e, "delivery failed; will retry");
                    state.directory.mark_attempt_failed(n.id).await?;
                }
            }
        }
        state.directory.mark_delivered(&delivered, state.engine.now()).await?;
        Ok(())
    }
}

/// Shows whose logs one read asks for (a page of each).
const SHOWS_PER_READ: usize = 100;

/// Reads what the logs of `shows` hold past the worker's cursors, a page of each show per read
/// and many shows per read, until every log is read to its end.
async fn read_logs(
    state: &AppState,
    memory: &Mutex<WorkerState>,
    shows: &[Arc<Show>],
    out: &mut Outgoing,
) -> Result<(), crate::error::ApiError> {
    for chunk in shows.chunks(SHOWS_PER_READ) {
        let by_id: HashMap<ShowId, &Show> = chunk.iter().map(|s| (s.id, s.as_ref())).collect();
        let mut from = Vec::with_capacity(by_id.len());
        for &id in by_id.keys() {
            let cached = memory.lock().cursors.get(&id).copied();
            let cursor = match cached {
                Some(c) => c,
                None => state.directory.cursor(id).await?,
            };
            from.push((id, cursor));
        }
        while !from.is_empty() {
            let events = state.engine.events_since_each(&from, EVENTS_PAGE).await?;
            // Logs that filled their page have more.
            let mut more = Vec::new();
            for page in events.chunk_by(|a, b| a.show == b.show) {
                let Some(first) = page.first() else { continue };
                let Some(&show) = by_id.get(&first.show) else { continue };
                for e in page {
                    let known = memory.lock().learn(&e.kind);
                    on_event(state, show, e, known, out).await?;
                }
                let last = page.last().map_or(first.seq, |e| e.seq);
                out.cursors.push((show.id, last));
                if page.len() >= EVENTS_PAGE {
                    more.push((show.id, last));
                }
                // Bounded by a page of one show, however many shows a read returns.
                if out.new.len() >= FLUSH_AT {
                    out.flush(state, memory).await?;
                }
            }
            from = more;
        }
    }
    Ok(())
}

async fn on_event(
    state: &AppState,
    show: &Show,
    e: &Event,
    known: Option<About>,
    out: &mut Outgoing,
) -> Result<(), crate::error::ApiError> {
    let (kind, booking) = match &e.kind {
        EventKind::BookingConfirmed { booking, .. } => ("booking_confirmed", *booking),
        EventKind::BookingCancelled { booking, .. } => ("booking_cancelled", *booking),
        EventKind::BookingRefunded { booking, .. } => ("booking_refunded", *booking),
        _ => return Ok(()),
    };
    let key = format!("show-{}#{}", show.id.0, e.seq);
    notify_booking(state, show, booking, known, kind, &key, out).await
}

/// Adds the notifications of `kind` about `booking` to `out`, one per channel of its owner;
/// the booking is read unless `known`.
async fn notify_booking(
    state: &AppState,
    show: &Show,
    booking: BookingId,
    known: Option<About>,
    kind: &str,
    key: &str,
    out: &mut Outgoing,
) -> Result<(), crate::error::ApiError> {
    let b = match known {
        Some(about) => about,
        None => {
            let b = state.engine.booking(booking, &booking_core::Actor::Staff).await?;
            About { total: b.quote.total(), owner: b.owner, seats: b.seats }
        }
    };
    let Some(user) = user_of_owner(b.owner.as_str()) else { return Ok(()) };
    let Some(user) = out.user(state, user).await? else { return Ok(()) };
    let theatre = match out.theatres.get(&show.theatre) {
        Some(name) => name.clone(),
        None => {
            let t = state.engine.theatre(show.theatre).await?;
            out.theatres.insert(show.theatre, t.name.clone());
            t.name
        }
    };
    let context = NoteContext {
        name: user.name.clone(),
        title: show.title.clone(),
        starts_at: local_time(show.starts_at, &show.time_zone),
        theatre,
        seats: booking_front::labels(&show.layout, &b.seats),
        booking: booking.0,
        amount: b.total.to_string(),
    };
    let Some((subject, body)) = render(kind, &context) else { return Ok(()) };
    for (channel, _) in addresses(&user) {
        out.new.push(NewNotification {
            user: user.id,
            channel,
            kind: kind.to_string(),
            dedupe_key: key.to_string(),
            subject: subject.clone(),
            body: body.clone(),
            created_at: state.engine.now(),
        });
    }
    out.users.insert(user.id, user);
    Ok(())
}

/// A time as people in `zone` read it, e.g. `Fri 27 Nov 2026 21:00` (RFC 3339 when the zone or
/// the instant is out of reach).
pub fn local_time(t: Timestamp, zone: &str) -> String {
    let iso = || booking_front::Instant::from(t).to_rfc3339();
    let Some(ts) = t.to_jiff() else { return iso() };
    match jiff::tz::TimeZone::get(zone) {
        Ok(tz) => ts.to_zoned(tz).strftime("%a %-d %b %Y %H:%M").to_string(),
        Err(_) => iso(),
    }
}

/// Reminds the owner of every confirmed booking of `show` (found by reading its whole log).
async fn remind(
    state: &AppState,
    memory: &Mutex<WorkerState>,
    show: &Show,
) -> Result<(), crate::error::ApiError> {
    let mut confirmed: Vec<BookingId> = Vec::new();
    let mut cursor = 0;
    loop {
        let events = state.engine.events_since(show.id, cursor, EVENTS_PAGE).await?;
        let Some(last) = events.last().map(|e| e.seq) else { break };
        for e in &events {
            match &e.kind {
                EventKind::BookingConfirmed { booking, .. } => confirmed.push(*booking),
                EventKind::BookingCancelled { booking, .. } | EventKind::BookingRefunded { booking, .. } => {
                    confirmed.retain(|b| b != booking)
                }
                _ => {}
            }
        }
        cursor = last;
        if events.len() < EVENTS_PAGE {
            break;
        }
    }
    let mut out = Outgoing::default();
    for chunk in confirmed.chunks(EVENTS_PAGE) {
        for booking in chunk {
            let key = format!("reminder-{}-{}", show.id.0, booking.0);
            notify_booking(state, show, *booking, None, "show_reminder", &key, &mut out).await?;
        }
        out.flush(state, memory).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_masked_and_owners_parsed() {
        assert_eq!(mask("ann@example.com"), "an***@example.com");
        assert_eq!(mask("+351912345678"), "+3***");
        assert_eq!(user_of_owner("user-42"), Some(42));
        assert_eq!(user_of_owner("ann"), None);
    }
}
