//! Random secrets from the operating system, and secrets given as hex.

use argon2::password_hash::rand_core::{OsRng, RngCore};

/// Fills `buf` from the operating system's generator.
pub fn fill_random(buf: &mut [u8]) {
    OsRng.fill_bytes(buf);
}

/// `n` random bytes.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    fill_random(&mut v);
    v
}

/// A random password people can type: 20 characters of an unambiguous alphabet (~100 bits).
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    random_bytes(20).iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect()
}

/// Bytes from hex, for keys given on the command line.
pub fn from_hex(field: &str, hex: &str) -> Result<Vec<u8>, String> {
    let hex = hex.trim();
    if hex.len() % 2 != 0 {
        return Err(format!("{field}: hex must have an even number of digits"));
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|d| u8::from_str_radix(d, 16).ok())
                .ok_or_else(|| format!("{field}: not hex"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_junk() {
        assert_eq!(from_hex("k", "00ff10"), Ok(vec![0, 255, 16]));
        assert!(from_hex("k", "0").is_err());
        assert!(from_hex("k", "zz").is_err());
        let p = random_password();
        assert_eq!(p.len(), 20);
        assert_ne!(p, random_password());
    }
}
