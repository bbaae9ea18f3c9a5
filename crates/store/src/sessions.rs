//! Server-side sessions: the cookie carries a random token, the database only its
//! SHA-256 (set by the caller), so a leaked database does not leak live sessions.

use crate::{Result, Store};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRecord {
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl Store {
    /// A session begun `at` (sign-in time, also its first use).
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)"
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(at)
        .execute(pool)
        .await
        .map(|_| ())?
        });
        Ok(())
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = $1"
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()> {
        on_pool!(self, |pool| sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        on_pool!(self, |pool| sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }

    /// Drops sessions idle since `idle_before` or created before `created_before`.
    pub async fn purge_sessions(&self, idle_before: DateTime<Utc>, created_before: DateTime<Utc>) -> Result<u64> {
        let done =
            on_pool!(self, |pool| sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
                .bind(idle_before)
                .bind(created_before)
                .execute(pool)
                .await?
                .rows_affected());
        Ok(done)
    }

    /// Counts one attempt (a sign-in, a portal form) under `key` in the window of `window_seconds` that
    /// is running at `now` (a new window starts when the last one is over) and returns
    /// the attempts in it, this one included. One statement: parallel attempts each
    /// get their own count.
    pub async fn count_attempt(&self, key: &str, now: DateTime<Utc>, window_seconds: i64) -> Result<i64> {
        let now = now.timestamp();
        let attempts: i64 = on_pool!(self, |pool| sqlx::query_scalar(
            "INSERT INTO sign_in_attempts (attempt_key, window_started, attempts) VALUES ($1, $2, 1)
             ON CONFLICT (attempt_key) DO UPDATE SET
                 attempts = CASE WHEN sign_in_attempts.window_started <= $3 THEN 1
                                 ELSE sign_in_attempts.attempts + 1 END,
                 window_started = CASE WHEN sign_in_attempts.window_started <= $3 THEN $2
                                       ELSE sign_in_attempts.window_started END
             RETURNING attempts"
        )
        .bind(key)
        .bind(now)
        .bind(now - window_seconds)
        .fetch_one(pool)
        .await?);
        if attempts == 1 {
            // A new window: forget other keys' windows long over, so the table stays small.
            on_pool!(self, |pool| sqlx::query("DELETE FROM sign_in_attempts WHERE window_started < $1")
                .bind(now - 24 * 3600)
                .execute(pool)
                .await
                .map(|_| ())?);
        }
        Ok(attempts)
    }

    /// Forgets the attempts under `key` (after a successful sign-in).
    pub async fn clear_sign_in_attempts(&self, key: &str) -> Result<()> {
        on_pool!(self, |pool| sqlx::query("DELETE FROM sign_in_attempts WHERE attempt_key = $1")
            .bind(key)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }
}
