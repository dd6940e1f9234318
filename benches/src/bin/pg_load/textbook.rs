//! The textbook way to hold seats on PostgreSQL, for comparison: lock the seat rows with
//! `SELECT ... FOR UPDATE`, decide in Rust, write, commit. Same effects as the adapter: the seats
//! taken, the hold recorded, the event appended with the show's next sequence number.

use sqlx::PgPool;

pub const SCHEMA: &str = "
CREATE TABLE tb_shows (id bigint PRIMARY KEY, next_seq bigint NOT NULL DEFAULT 1, next_lease bigint NOT NULL DEFAULT 1);
CREATE TABLE tb_seats (show_id bigint, seat integer, hold_id bigint, booking_id bigint, until bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (show_id, seat));
CREATE TABLE tb_holds (show_id bigint, id bigint, owner text, seats integer[], expires_at bigint, fence bigint,
    quote jsonb, PRIMARY KEY (show_id, id));
CREATE TABLE tb_bookings (show_id bigint, id bigint, owner text, seats integer[], status text, quote jsonb,
    PRIMARY KEY (show_id, id));
CREATE TABLE tb_tickets (show_id bigint, booking_id bigint, seat integer, PRIMARY KEY (show_id, booking_id, seat));
CREATE TABLE tb_events (show_id bigint, seq bigint, at bigint, kind jsonb, PRIMARY KEY (show_id, seq));
";

/// Creates `shows` shows of `seats` free seats.
pub async fn setup(pool: &PgPool, first_show: i64, shows: i64, seats: i32) -> Result<(), sqlx::Error> {
    for show in first_show..first_show + shows {
        sqlx::query("INSERT INTO tb_shows (id) VALUES ($1)").bind(show).execute(pool).await?;
        sqlx::query("INSERT INTO tb_seats (show_id, seat) SELECT $1, s FROM generate_series(0, $2 - 1) s")
            .bind(show)
            .bind(seats)
            .execute(pool)
            .await?;
    }
    Ok(())
}

async fn append(
    tx: &mut sqlx::PgConnection,
    show: i64,
    now: i64,
    kind: serde_json::Value,
) -> Result<i64, sqlx::Error> {
    let (seq,): (i64,) =
        sqlx::query_as("UPDATE tb_shows SET next_seq = next_seq + 1 WHERE id = $1 RETURNING next_seq - 1")
            .bind(show)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query("INSERT INTO tb_events (show_id, seq, at, kind) VALUES ($1, $2, $3, $4)")
        .bind(show)
        .bind(seq)
        .bind(now)
        .bind(kind)
        .execute(&mut *tx)
        .await?;
    Ok(seq)
}

/// Holds `seats`; `Ok(None)` when one is taken.
pub async fn hold(
    pool: &PgPool,
    show: i64,
    owner: &str,
    seats: &[i32],
    now: i64,
    quote: &serde_json::Value,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let rows: Vec<(i32, i64)> = sqlx::query_as(
        "SELECT seat, until FROM tb_seats WHERE show_id = $1 AND seat = ANY($2) ORDER BY seat FOR UPDATE",
    )
    .bind(show)
    .bind(seats)
    .fetch_all(&mut *tx)
    .await?;
    if rows.len() != seats.len() || rows.iter().any(|(_, until)| *until > now) {
        tx.rollback().await?;
        return Ok(None);
    }
    let (n,): (i64,) = sqlx::query_as(
        "UPDATE tb_shows SET next_lease = next_lease + 1 WHERE id = $1 RETURNING next_lease - 1",
    )
    .bind(show)
    .fetch_one(&mut *tx)
    .await?;
    let id = show * (1 << 24) + n;
    let expires = now + 600_000;
    sqlx::query("UPDATE tb_seats SET hold_id = $3, booking_id = NULL, until = $4 WHERE show_id = $1 AND seat = ANY($2)")
        .bind(show)
        .bind(seats)
        .bind(id)
        .bind(expires)
        .execute(&mut *tx)
        .await?;
    let kind = serde_json::json!({"type": "hold_placed", "hold": id, "owner": owner, "seats": seats, "expires_at": expires});
    let fence = append(&mut tx, show, now, kind).await?;
    sqlx::query("INSERT INTO tb_holds (show_id, id, owner, seats, expires_at, fence, quote) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(show)
        .bind(id)
        .bind(owner)
        .bind(seats)
        .bind(expires)
        .bind(fence)
        .bind(quote)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// Releases a hold.
pub async fn release(pool: &PgPool, show: i64, hold: i64, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let (seats,): (Vec<i32>,) =
        sqlx::query_as("SELECT seats FROM tb_holds WHERE show_id = $1 AND id = $2 FOR UPDATE")
            .bind(show)
            .bind(hold)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query("UPDATE tb_seats SET hold_id = NULL, until = 0 WHERE show_id = $1 AND hold_id = $2")
        .bind(show)
        .bind(hold)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM tb_holds WHERE show_id = $1 AND id = $2")
        .bind(show)
        .bind(hold)
        .execute(&mut *tx)
        .await?;
    append(&mut tx, show, now, serde_json::json!({"type": "hold_released", "hold": hold, "seats": seats}))
        .await?;
    tx.commit().await
}

/// Turns a hold into a pending booking, then confirms it with its tickets.
pub async fn book(pool: &PgPool, show: i64, hold: i64, now: i64) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let (owner, seats, quote): (String, Vec<i32>, serde_json::Value) =
        sqlx::query_as("SELECT owner, seats, quote FROM tb_holds WHERE show_id = $1 AND id = $2 FOR UPDATE")
            .bind(show)
            .bind(hold)
            .fetch_one(&mut *tx)
            .await?;
    let (n,): (i64,) = sqlx::query_as(
        "UPDATE tb_shows SET next_lease = next_lease + 1 WHERE id = $1 RETURNING next_lease - 1",
    )
    .bind(show)
    .fetch_one(&mut *tx)
    .await?;
    let id = show * (1 << 24) + n;
    sqlx::query(
        "UPDATE tb_seats SET hold_id = NULL, booking_id = $3, until = $4 WHERE show_id = $1 AND hold_id = $2",
    )
    .bind(show)
    .bind(hold)
    .bind(id)
    .bind(now + 900_000)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM tb_holds WHERE show_id = $1 AND id = $2")
        .bind(show)
        .bind(hold)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO tb_bookings (show_id, id, owner, seats, status, quote) VALUES ($1, $2, $3, $4, 'pending', $5)")
        .bind(show)
        .bind(id)
        .bind(&owner)
        .bind(&seats)
        .bind(&quote)
        .execute(&mut *tx)
        .await?;
    append(&mut tx, show, now, serde_json::json!({"type": "booking_created", "booking": id, "hold": hold}))
        .await?;
    tx.commit().await?;

    let mut tx = pool.begin().await?;
    let (status,): (String,) =
        sqlx::query_as("SELECT status FROM tb_bookings WHERE show_id = $1 AND id = $2 FOR UPDATE")
            .bind(show)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if status != "pending" {
        tx.rollback().await?;
        return Ok(id);
    }
    sqlx::query("UPDATE tb_seats SET until = 9223372036854775807 WHERE show_id = $1 AND booking_id = $2")
        .bind(show)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO tb_tickets (show_id, booking_id, seat) SELECT $1, $2, s FROM unnest($3::integer[]) s",
    )
    .bind(show)
    .bind(id)
    .bind(&seats)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE tb_bookings SET status = 'confirmed' WHERE show_id = $1 AND id = $2")
        .bind(show)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    append(&mut tx, show, now, serde_json::json!({"type": "booking_confirmed", "booking": id})).await?;
    tx.commit().await?;
    Ok(id)
}
