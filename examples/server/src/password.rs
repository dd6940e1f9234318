//! Passwords: the policy, and Argon2id hashing bounded in time and memory.
//!
//! A hash takes tens of milliseconds and [`ARGON2_MEMORY_KIB`] of memory by design, which makes a
//! flood of logins a way to exhaust a server. So at most [`hashers_max`] hashes run at once (the
//! rest wait their turn, and the request queue in front of them is bounded too), each on a
//! blocking thread, each in a memory block taken from a pool of that many and given back after:
//! the memory that hashing ever takes is `hashers_max() * ARGON2_MEMORY_KIB`, allocated once.

use crate::error::ApiError;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use parking_lot::Mutex;
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// Argon2id memory cost in KiB (OWASP's first recommended setting: 19 MiB, 2 passes, 1 lane).
pub const ARGON2_MEMORY_KIB: u32 = 19_456;
/// Argon2id passes.
pub const ARGON2_PASSES: u32 = 2;
/// Length of a salt, in bytes.
const SALT_BYTES: usize = 16;
/// Shortest password accepted, in characters.
pub const PASSWORD_CHARS_MIN: usize = 10;
/// Longest password accepted, in bytes (hashing cost must not grow with the body).
pub const PASSWORD_BYTES_MAX: usize = 256;
/// Most hashes at once, whatever the number of cores.
const HASHERS_MAX: usize = 8;

/// Checks a new password against the policy.
pub fn check_password(password: &str) -> Result<(), ApiError> {
    if password.len() > PASSWORD_BYTES_MAX {
        return Err(ApiError::invalid("password", format!("must be at most {PASSWORD_BYTES_MAX} bytes")));
    }
    if password.chars().count() < PASSWORD_CHARS_MIN {
        return Err(ApiError::invalid(
            "password",
            format!("must be at least {PASSWORD_CHARS_MIN} characters"),
        ));
    }
    Ok(())
}

/// How many hashes run at once: the cores, up to [`HASHERS_MAX`].
pub fn hashers_max() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, HASHERS_MAX)
}

/// The turns and the memory blocks of hashing.
struct Hashers {
    turns: Semaphore,
    blocks: Mutex<Vec<Vec<Block>>>,
}

fn hashers() -> &'static Hashers {
    static HASHERS: OnceLock<Hashers> = OnceLock::new();
    HASHERS.get_or_init(|| Hashers { turns: Semaphore::new(hashers_max()), blocks: Mutex::new(Vec::new()) })
}

fn params() -> Result<Params, ApiError> {
    Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, 1, None)
        .map_err(|e| ApiError::internal(format!("argon2 parameters: {e}")))
}

/// Runs `f` with a hashing turn and a memory block of `blocks` blocks, on a blocking thread.
async fn with_hasher<T: Send + 'static>(
    blocks: usize,
    f: impl FnOnce(&mut [Block]) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let pool = hashers();
    let _turn = pool.turns.acquire().await.map_err(|e| ApiError::internal(format!("hashing: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let mut memory = pool.blocks.lock().pop().unwrap_or_default();
        memory.resize(blocks, Block::default());
        let out = f(&mut memory);
        pool.blocks.lock().push(memory);
        out
    })
    .await
    .map_err(|e| ApiError::internal(format!("hash task: {e}")))?
}

fn hash_into(
    params: &Params,
    password: &[u8],
    salt: &[u8],
    memory: &mut [Block],
) -> Result<Output, ApiError> {
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    Output::init_with(len, |out| {
        argon2.hash_password_into_with_memory(password, salt, out, &mut *memory).map_err(Into::into)
    })
    .map_err(|e| ApiError::internal(format!("hash password: {e}")))
}

/// Hashes a password into its PHC string (`$argon2id$v=19$m=...`).
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    let params = params()?;
    with_hasher(params.block_count(), move |memory| {
        let mut salt = [0u8; SALT_BYTES];
        OsRng.fill_bytes(&mut salt);
        let output = hash_into(&params, password.as_bytes(), &salt, memory)?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::internal(format!("salt: {e}")))?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params)
                .map_err(|e| ApiError::internal(format!("params: {e}")))?,
            salt: Some(Salt::from(&salt)),
            hash: Some(output),
        };
        Ok(phc.to_string())
    })
    .await
}

/// Whether `password` matches `hash`. With no hash (unknown account) a dummy hash is checked
/// anyway, so the answer takes as long either way.
pub async fn verify_password(hash: Option<String>, password: String) -> Result<bool, ApiError> {
    let known = hash.is_some();
    let hash = match hash {
        Some(h) => h,
        None => dummy_hash().await?,
    };
    let stored = |e: argon2::password_hash::Error| ApiError::internal(format!("stored hash: {e}"));
    let parsed = PasswordHash::new(&hash).map_err(stored)?;
    let params = Params::try_from(&parsed).map_err(stored)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(ApiError::internal("stored hash: no salt or no hash"));
    };
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes).map_err(stored)?.to_vec();
    let computed = with_hasher(params.block_count(), move |memory| {
        hash_into(&params, password.as_bytes(), &salt, memory)
    })
    .await?;
    // `Output`'s equality is constant-time.
    Ok(computed == expected && known)
}

async fn dummy_hash() -> Result<String, ApiError> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY.get_or_try_init(|| hash_password("no account has this password".into())).await.cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only_and_reads_as_argon2id() {
        let hash = hash_password("correct horse battery".into()).await.unwrap_or_default();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert_eq!(
            verify_password(Some(hash.clone()), "correct horse battery".into()).await.ok(),
            Some(true)
        );
        assert_eq!(
            verify_password(Some(hash.clone()), "correct horse batterY".into()).await.ok(),
            Some(false)
        );
        assert_eq!(verify_password(None, "no account has this password".into()).await.ok(), Some(false));
        // Another implementation's hash of the same scheme verifies too.
        use argon2::password_hash::{PasswordHasher, SaltString as S};
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params().unwrap_or_default())
            .hash_password(
                b"pw-of-theirs-1",
                &S::encode_b64(b"sixteen byte slt").unwrap_or_else(|e| panic!("{e}")),
            )
            .map(|h| h.to_string())
            .unwrap_or_default();
        assert_eq!(verify_password(Some(theirs), "pw-of-theirs-1".into()).await.ok(), Some(true));
        assert!(hashers().blocks.lock().len() <= hashers_max(), "memory blocks are reused, not piled up");
    }

    #[tokio::test]
    async fn many_hashes_at_once_take_no_more_than_the_pool() {
        let tasks: Vec<_> =
            (0..12).map(|i| tokio::spawn(hash_password(format!("password-{i:04}")))).collect();
        for t in tasks {
            assert!(t.await.is_ok_and(|h| h.is_ok()));
        }
        assert!(hashers().blocks.lock().len() <= hashers_max());
    }
}
