//! Accounts: register, log in (with TOTP for admins who turned it on), who am I, TOTP setup,
//! my notifications, and admin-created staff and admin accounts.

use crate::app::AppState;
use crate::auth::{
    Principal, TokenKeys, check_password, hash_password, totp, unix_now_secs, verify_password,
};
use crate::directory::{NewUser, Notification, Role, User};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery};
use crate::public_ids::{IdKind, PublicIds};
use crate::ratelimit::client_ip;
use crate::routes::created;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use booking_front::{ErrorView, Instant};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Longest email accepted, in bytes (RFC 5321's path limit).
pub const EMAIL_BYTES_MAX: usize = 254;
/// Longest display name, in bytes.
pub const NAME_BYTES_MAX: usize = 100;
/// Most notifications listed at once.
pub const NOTIFICATIONS_PAGE_MAX: usize = 200;

pub fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::default()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(me))
        .routes(routes!(totp_setup))
        .routes(routes!(totp_confirm))
        .routes(routes!(my_notifications))
        .routes(routes!(create_user))
}

/// An account as clients see it (never the hash or the TOTP secret).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = User)]
pub(crate) struct UserView {
    id: u64,
    email: String,
    name: String,
    phone: Option<String>,
    role: Role,
    totp_enabled: bool,
}

impl UserView {
    /// The account `u`, named by its public id.
    pub(crate) fn new(u: &User, ids: &PublicIds) -> Self {
        UserView {
            id: ids.hide(IdKind::User, u.id),
            email: u.email.clone(),
            name: u.name.clone(),
            phone: u.phone.clone(),
            role: u.role,
            totp_enabled: u.totp_enabled,
        }
    }
}

/// A new customer account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Register {
    email: String,
    password: String,
    name: String,
    #[serde(default)]
    phone: Option<String>,
}

fn check_email(email: &str) -> ApiResult<String> {
    let email = email.trim().to_ascii_lowercase();
    let valid = email.len() <= EMAIL_BYTES_MAX
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid { Ok(email) } else { Err(ApiError::invalid("email", "must be an email address")) }
}

fn check_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.len() > NAME_BYTES_MAX || name.chars().any(char::is_control) {
        return Err(ApiError::invalid("name", format!("must be 1 to {NAME_BYTES_MAX} bytes of text")));
    }
    Ok(name.to_string())
}

fn check_phone(phone: Option<String>) -> ApiResult<Option<String>> {
    match phone.map(|p| p.trim().to_string()) {
        None => Ok(None),
        Some(p) if p.is_empty() => Ok(None),
        Some(p) => {
            let digits = p.strip_prefix('+').unwrap_or(&p);
            if (6..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
                Ok(Some(p))
            } else {
                Err(ApiError::invalid("phone", "must be 6 to 15 digits, optionally after a +"))
            }
        }
    }
}

async fn new_account(state: &AppState, r: Register, role: Role) -> ApiResult<User> {
    let email = check_email(&r.email)?;
    let name = check_name(&r.name)?;
    let phone = check_phone(r.phone)?;
    check_password(&r.password)?;
    let password_hash = hash_password(r.password).await?;
    Ok(state.directory.create_user(NewUser { email, name, phone, role, password_hash }).await?)
}

/// Registers a customer account.
#[utoipa::path(post, path = "/auth/register", tag = "accounts", request_body = Register, responses(
    (status = 201, description = "The account", body = UserView),
    (status = 409, description = "EMAIL_TAKEN", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: a field is refused (email, name, phone, password)", body = ErrorView),
))]
async fn register(State(state): State<Arc<AppState>>, ApiJson(r): ApiJson<Register>) -> ApiResult<Response> {
    let user = new_account(&state, r, Role::Customer).await?;
    Ok(created(UserView::new(&user, &state.ids)))
}

/// A new account of any role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CreateUser {
    email: String,
    password: String,
    name: String,
    #[serde(default)]
    phone: Option<String>,
    role: Role,
}

/// Creates an account of any role (admins only).
#[utoipa::path(post, path = "/admin/users", tag = "accounts", request_body = CreateUser,
    security(("bearer" = [])), responses(
    (status = 201, description = "The account", body = UserView),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 409, description = "EMAIL_TAKEN", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: a field is refused", body = ErrorView),
))]
async fn create_user(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiJson(r): ApiJson<CreateUser>,
) -> ApiResult<Response> {
    me.require_admin()?;
    let register = Register { email: r.email, password: r.password, name: r.name, phone: r.phone };
    let user = new_account(&state, register, r.role).await?;
    Ok(created(UserView::new(&user, &state.ids)))
}

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Login {
    email: String,
    password: String,
    #[serde(default)]
    totp_code: Option<String>,
}

/// Logs in: an access token for the account (with its TOTP code when it has TOTP on).
#[utoipa::path(post, path = "/auth/login", tag = "accounts", request_body = Login, responses(
    (status = 200, description = "Logged in", body = crate::routes::sessions::Token),
    (status = 401, description = "UNAUTHORIZED: wrong email or password, or a TOTP code missing or wrong", body = ErrorView),
))]
async fn login(State(state): State<Arc<AppState>>, req: Request) -> ApiResult<Response> {
    if let Some(ip) = client_ip(&req) {
        state.rate_limits.check_login(ip)?;
    }
    let ApiJson(l) = <ApiJson<Login> as axum::extract::FromRequest<_>>::from_request(req, &state).await?;
    if l.password.len() > crate::auth::PASSWORD_BYTES_MAX {
        return Err(ApiError::unauthorized("wrong email or password"));
    }
    let email = l.email.trim().to_ascii_lowercase();
    let user =
        if email.len() <= EMAIL_BYTES_MAX { state.directory.user_by_email(&email).await? } else { None };
    let ok = verify_password(user.as_ref().map(|u| u.password_hash.clone()), l.password).await?;
    let user = match user {
        Some(u) if ok => u,
        _ => return Err(ApiError::unauthorized("wrong email or password")),
    };
    if user.totp_enabled {
        let secret = user.totp_secret.as_deref().unwrap_or_default();
        let code = l.totp_code.as_deref().unwrap_or_default();
        if code.is_empty() {
            return Err(ApiError::unauthorized("this account needs a TOTP code")
                .with_details(json!({ "field": "totp_code" })));
        }
        let wrong =
            || ApiError::unauthorized("wrong TOTP code").with_details(json!({ "field": "totp_code" }));
        let step = totp::matching_step(secret, &user.email, code, unix_now_secs())?.ok_or_else(wrong)?;
        // A code counts once: the same (or an earlier) step again is a replay.
        if !state.sessions.use_totp_step(user.id, step).await? {
            return Err(ApiError::unauthorized("this TOTP code was used already; wait for the next one")
                .with_details(json!({ "field": "totp_code" })));
        }
    }
    let token = crate::routes::sessions::issue(&state, &user, &TokenKeys::random_id()).await?;
    Ok(axum::Json(token).into_response())
}

async fn current_user(state: &AppState, me: &Principal) -> ApiResult<User> {
    state
        .directory
        .user(me.user)
        .await?
        .ok_or_else(|| ApiError::unauthorized("this account no longer exists"))
}

/// The account of the token.
#[utoipa::path(get, path = "/me", tag = "accounts", security(("bearer" = [])), responses(
    (status = 200, description = "The account", body = UserView),
))]
async fn me(State(state): State<Arc<AppState>>, me: Principal) -> ApiResult<axum::Json<UserView>> {
    Ok(axum::Json(UserView::new(&current_user(&state, &me).await?, &state.ids)))
}

/// A new TOTP secret, to scan into an authenticator app.
#[derive(Debug, Serialize, ToSchema)]
struct TotpSecret {
    /// Base32.
    secret: String,
    /// The `otpauth://` URL an app scans.
    otpauth_url: String,
}

/// Starts TOTP setup (admins): a new secret to scan; login asks for codes once it is confirmed.
#[utoipa::path(post, path = "/me/totp", tag = "accounts", security(("bearer" = [])), responses(
    (status = 200, description = "The secret", body = TotpSecret),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 409, description = "TOTP_ENABLED: TOTP is already on", body = ErrorView),
))]
async fn totp_setup(State(state): State<Arc<AppState>>, me: Principal) -> ApiResult<Response> {
    me.require_admin()?;
    let user = current_user(&state, &me).await?;
    if user.totp_enabled {
        return Err(ApiError::conflict("TOTP_ENABLED", "TOTP is already on for this account"));
    }
    let secret = totp::new_secret();
    let url = totp::url(&secret, &user.email)?;
    state.directory.set_totp(user.id, Some(secret.clone()), false).await?;
    Ok(axum::Json(TotpSecret { secret, otpauth_url: url }).into_response())
}

/// A code from the authenticator app.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct TotpConfirm {
    /// Six digits.
    code: String,
}

/// Turns TOTP on with a first code from the app.
#[utoipa::path(post, path = "/me/totp/confirm", tag = "accounts", request_body = TotpConfirm,
    security(("bearer" = [])), responses(
    (status = 200, description = "The account, TOTP on", body = UserView),
    (status = 403, description = "FORBIDDEN: not an admin", body = ErrorView),
    (status = 409, description = "TOTP_NOT_SET_UP: start with POST /v1/me/totp", body = ErrorView),
    (status = 422, description = "INVALID_INPUT: wrong code", body = ErrorView),
))]
async fn totp_confirm(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiJson(c): ApiJson<TotpConfirm>,
) -> ApiResult<axum::Json<UserView>> {
    me.require_admin()?;
    let mut user = current_user(&state, &me).await?;
    let Some(secret) = user.totp_secret.clone() else {
        return Err(ApiError::conflict("TOTP_NOT_SET_UP", "start with POST /v1/me/totp"));
    };
    let step = totp::matching_step(&secret, &user.email, &c.code, unix_now_secs())?
        .ok_or_else(|| ApiError::invalid("code", "wrong TOTP code"))?;
    if !state.sessions.use_totp_step(user.id, step).await? {
        return Err(ApiError::invalid("code", "this TOTP code was used already; wait for the next one"));
    }
    state.directory.set_totp(user.id, Some(secret), true).await?;
    user.totp_enabled = true;
    Ok(axum::Json(UserView::new(&user, &state.ids)))
}

/// How many to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct Page {
    /// 1 to 200; default 50.
    #[serde(default)]
    limit: Option<usize>,
}

/// A notification sent (or to send) to the account.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Notification)]
struct NotificationView {
    /// Id.
    id: u64,
    /// Email, SMS or push.
    channel: crate::directory::Channel,
    /// What it is about, e.g. `booking_confirmed`.
    kind: String,
    /// Subject line.
    subject: String,
    /// Text.
    body: String,
    /// When it was recorded.
    created_at: Instant,
    /// When it was delivered (none while pending).
    delivered_at: Option<Instant>,
}

impl From<Notification> for NotificationView {
    fn from(n: Notification) -> Self {
        NotificationView {
            id: n.id,
            channel: n.channel,
            kind: n.kind,
            subject: n.subject,
            body: n.body,
            created_at: n.created_at.into(),
            delivered_at: n.delivered_at.map(Instant::from),
        }
    }
}

/// The account's notifications, newest first.
#[utoipa::path(get, path = "/me/notifications", tag = "accounts", params(Page), security(("bearer" = [])), responses(
    (status = 200, description = "Notifications", body = [NotificationView]),
    (status = 422, description = "INVALID_INPUT: limit out of range", body = ErrorView),
))]
async fn my_notifications(
    State(state): State<Arc<AppState>>,
    me: Principal,
    ApiQuery(p): ApiQuery<Page>,
) -> ApiResult<Response> {
    let limit = p.limit.unwrap_or(50);
    if limit == 0 || limit > NOTIFICATIONS_PAGE_MAX {
        return Err(ApiError::invalid("limit", format!("must be 1 to {NOTIFICATIONS_PAGE_MAX}")));
    }
    let list: Vec<NotificationView> =
        state.directory.notifications_of(me.user, limit).await?.into_iter().map(Into::into).collect();
    Ok(axum::Json(list).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_names_and_phones_are_checked() {
        assert_eq!(check_email(" Ann@Example.COM ").ok().as_deref(), Some("ann@example.com"));
        for bad in
            ["", "ann", "@x.com", "ann@x", "ann@.com", "a n@x.com", &format!("{}@x.com", "a".repeat(260))]
        {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert!(check_name("  ").is_err() && check_name(&"n".repeat(101)).is_err());
        assert_eq!(check_phone(Some("+351912345678".into())).ok(), Some(Some("+351912345678".into())));
        assert!(check_phone(Some("12ab".into())).is_err());
    }
}
