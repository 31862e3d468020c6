//! Password hashing with argon2id (the crate's defaults follow the OWASP recommendation:
//! 19 MiB, 2 iterations, 1 lane), bounded: each hash holds 19 MiB for its duration, so
//! hashes in flight are what a burst of log-ins turns into memory. A [`Hasher`] runs at most
//! a few at once on the blocking pool; a few dozen more may wait briefly for a slot, and
//! anything beyond that, or anything that waited too long, is refused with 503 and
//! `Retry-After` before it allocates. Refusing a log-in for a moment is better than the
//! process being killed for its memory with every other request in it.

use std::{
    sync::atomic::{AtomicUsize, Ordering},
    sync::Arc,
    time::Duration,
};

use argon2::{
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use rand::rngs::OsRng;
use tokio::sync::Semaphore;

use crate::error::{CoreError, CoreResult};

/// Hashes allowed to wait for a slot at once, per slot.
const WAITING_PER_SLOT: usize = 16;
/// How long a hash may wait for a slot (a hash takes about 40 ms on one core here).
const MAX_WAIT: Duration = Duration::from_secs(2);
/// The `Retry-After` of a refused hash.
const RETRY_AFTER_SECS: u64 = 1;

/// Runs argon2 with bounded concurrency and a bounded queue.
pub struct Hasher {
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

impl Hasher {
    /// At most `slots` hashes at once (at least one).
    pub fn new(slots: usize) -> Hasher {
        let slots = slots.max(1);
        Hasher {
            slots: Arc::new(Semaphore::new(slots)),
            waiting: AtomicUsize::new(0),
            max_waiting: slots * WAITING_PER_SLOT,
        }
    }

    /// Hashes `password` into a PHC string.
    pub async fn hash(&self, password: String) -> CoreResult<String> {
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| CoreError::Internal(anyhow::anyhow!("password hashing failed: {e}")))
        })
        .await?
    }

    /// Checks `password` against `stored`. With no stored hash (unknown account) a dummy hash
    /// is verified anyway, so the answer takes as long either way and does not reveal the
    /// account.
    pub async fn verify(&self, password: String, stored: Option<String>) -> CoreResult<bool> {
        self.run(move || {
            let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
            PasswordHash::new(&stored)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
    }

    /// Runs `work` on the blocking pool once a slot is free.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> CoreResult<T> {
        let busy = CoreError::Busy {
            retry_after_secs: RETRY_AFTER_SECS,
        };
        let permit = match self.slots.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(busy);
                }
                let waited =
                    tokio::time::timeout(MAX_WAIT, self.slots.clone().acquire_owned()).await;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                match waited {
                    Ok(Ok(permit)) => permit,
                    _ => return Err(busy),
                }
            }
        };
        tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await
        .map_err(|e| CoreError::Internal(anyhow::anyhow!("password hashing task failed: {e}")))
    }
}

/// argon2id hash of a random string nobody knows, with the default parameters.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CjCKJiKwjhvA6bOyqfLs5oqzHqwv0vFJGmhhNbr2K1U";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_argon2id_and_verifies() {
        let hasher = Hasher::new(1);
        let h = hasher.hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(hasher
            .verify("correct horse battery".into(), Some(h.clone()))
            .await
            .unwrap());
        assert!(!hasher.verify("wrong".into(), Some(h)).await.unwrap());
        assert!(!hasher.verify("anything".into(), None).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_is_refused_not_grown() {
        let hasher = Arc::new(Hasher::new(1));
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let h = hasher.clone();
                tokio::spawn(async move { h.verify("x".repeat(12), None).await })
            })
            .collect();
        let mut busy = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(ok) => assert!(!ok),
                Err(CoreError::Busy { .. }) => busy += 1,
                Err(e) => panic!("{e}"),
            }
        }
        // One runs, at most sixteen wait: the rest are refused at once.
        assert!(busy >= 64 - 1 - WAITING_PER_SLOT, "{busy} refused");
    }
}
