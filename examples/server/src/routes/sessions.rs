//! Sign-in sessions: each login gets a short-lived access token and a refresh token; a refresh
//! rotates the pair (the old refresh token stops working; one presented again after its use
//! revokes the whole sign-in, as a stolen copy would be); logout revokes the access token and
//! the sign-in on every instance.

use crate::app::AppState;
use crate::auth::{Principal, TokenKeys, unix_now_secs};
use crate::directory::User;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, OptionalJson};
use crate::routes::accounts::UserView;
use crate::sessions::{NewRefresh, Taken};
use axum::extract::State;
use axum::http::StatusCode;
use booking_front::ErrorView;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Longest refresh token accepted, in bytes (they are 64 hex digits).
const REFRESH_TOKEN_BYTES_MAX: usize = 128;

pub fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::default().routes(routes!(refresh)).routes(routes!(logout))
}

/// A signed-in session: an access token, the refresh token that renews it, and whose they are.
#[derive(Debug, Serialize, ToSchema)]
pub struct Token {
    /// Send it as `Authorization: Bearer <token>`.
    access_token: String,
    /// Always `Bearer`.
    token_type: &'static str,
    /// Seconds the access token stays valid.
    expires_in: u64,
    /// Renews the session once (`POST /v1/auth/refresh`); keep it secret.
    refresh_token: String,
    /// Seconds the refresh token stays valid.
    refresh_expires_in: u64,
    /// The account.
    user: UserView,
}

fn hash(refresh_token: &str) -> String {
    Sha256::digest(refresh_token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A new access token and refresh token for `user` in the sign-in `family`.
pub async fn issue(state: &AppState, user: &User, family: &str) -> ApiResult<Token> {
    let now = unix_now_secs();
    let access_token = state.tokens.issue(user, family, now)?;
    let refresh_token = TokenKeys::random_id() + &TokenKeys::random_id();
    let ttl = state.config.refresh_ttl_secs;
    let r = NewRefresh {
        hash: hash(&refresh_token),
        user: user.id,
        family: family.to_string(),
        expires_secs: now.saturating_add(ttl),
    };
    state.sessions.add_refresh(r).await?;
    Ok(Token {
        access_token,
        token_type: "Bearer",
        expires_in: state.tokens.ttl_secs,
        refresh_token,
        refresh_expires_in: ttl,
        user: UserView::new(user, &state.ids),
    })
}

/// Ends a sign-in everywhere: its refresh tokens are dropped and its access tokens revoked.
async fn end_sign_in(state: &AppState, family: &str) -> ApiResult<()> {
    let key = format!("fam:{family}");
    // Every access token of the sign-in is dead by then.
    let until = unix_now_secs().saturating_add(state.tokens.ttl_secs + 5);
    state.tokens.revoke_here(&key, until);
    state.sessions.revoke(&key, until).await?;
    state.sessions.drop_family(family).await?;
    Ok(())
}

/// A refresh token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RefreshBody {
    /// The refresh token of the last login or refresh.
    refresh_token: String,
}

/// Renews a session: a new access token and a new refresh token; the one presented stops working.
/// A refresh token presented a second time ends its whole sign-in (someone holds a copy).
#[utoipa::path(post, path = "/auth/refresh", tag = "accounts", request_body = RefreshBody, responses(
    (status = 200, description = "Renewed", body = Token),
    (status = 401, description = "UNAUTHORIZED: unknown, expired, used or revoked refresh token", body = ErrorView),
))]
async fn refresh(
    State(state): State<Arc<AppState>>,
    ApiJson(body): ApiJson<RefreshBody>,
) -> ApiResult<axum::Json<Token>> {
    let refused =
        || ApiError::unauthorized("the refresh token is unknown, expired, used or revoked; log in again");
    if body.refresh_token.len() > REFRESH_TOKEN_BYTES_MAX {
        return Err(refused());
    }
    match state.sessions.take_refresh(&hash(&body.refresh_token), unix_now_secs()).await? {
        Taken::Fresh { user, family } => {
            let user = state.directory.user(user).await?.ok_or_else(refused)?;
            Ok(axum::Json(issue(&state, &user, &family).await?))
        }
        Taken::Reused { family } => {
            tracing::warn!(family = %family, "a used refresh token came back: its sign-in is revoked");
            end_sign_in(&state, &family).await?;
            Err(refused())
        }
        Taken::Unknown => Err(refused()),
    }
}

/// Logs out: the access token sent stops working at once, on every instance within a sweep,
/// and so does the whole sign-in (its refresh tokens and every access token refreshed from it).
#[utoipa::path(post, path = "/auth/logout", tag = "accounts", request_body(content = Option<LogoutBody>, description = "Optional"),
    security(("bearer" = [])), responses(
    (status = 204, description = "Logged out"),
))]
async fn logout(
    State(state): State<Arc<AppState>>,
    me: Principal,
    OptionalJson(_body): OptionalJson<LogoutBody>,
) -> ApiResult<StatusCode> {
    let key = format!("jti:{}", me.token_id);
    let until = me.token_expires.saturating_add(5);
    state.tokens.revoke_here(&key, until);
    state.sessions.revoke(&key, until).await?;
    end_sign_in(&state, &me.sign_in).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Nothing is needed: the access token names its sign-in.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct LogoutBody {}
