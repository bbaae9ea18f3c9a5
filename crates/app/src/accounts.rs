//! Accounts and sign-in: argon2 password hashes (computed off the async threads),
//! role and region rules for new accounts.

use crate::{AppError, AppResult};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use tokio::sync::Semaphore;
use zhaoshang_core::access::{Principal, Role};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::users::{NewUser, User, UserChange};
use zhaoshang_store::{Actor, Store};

pub const MIN_PASSWORD_CHARS: usize = 12;

/// 32 random bytes as hex: session and CSRF tokens, and generated passwords (their first 16).
pub fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Argon2 takes 19 MiB and a core for each hash: at most one hash per core runs at a
/// time, at most `MAX_WAITING_HASHES` wait, and beyond that the caller is told to
/// retry, so a flood of sign-ins can neither exhaust memory nor queue without end.
struct HashingGate {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
}

pub const MAX_WAITING_HASHES: usize = 64;

static HASHING: LazyLock<HashingGate> = LazyLock::new(|| HashingGate {
    permits: Arc::new(Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))),
    waiting: AtomicUsize::new(0),
});

/// Counts a caller as waiting for as long as it holds this (also when its request is dropped).
struct Waiting;

impl Drop for Waiting {
    fn drop(&mut self) {
        HASHING.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs one password hash or verification through the gate.
async fn hashing<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    if HASHING.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING_HASHES {
        HASHING.waiting.fetch_sub(1, Ordering::SeqCst);
        return Err(AppError::Busy("登录请求过多，请稍后重试".into()));
    }
    let waiting = Waiting;
    let permit = HASHING.permits.clone().acquire_owned().await.map_err(|e| AppError::Internal(e.to_string()))?;
    drop(waiting);
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn hash_password(password: &str) -> AppResult<String> {
    let password = password.to_string();
    hashing(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await?
}

pub async fn verify_password(password: &str, hash: &str) -> AppResult<bool> {
    let password = password.to_string();
    let hash = hash.to_string();
    hashing(move || {
        PasswordHash::new(&hash)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
}

pub fn check_password_strength(password: &str) -> AppResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::Invalid(format!("密码至少需要{MIN_PASSWORD_CHARS}个字符")));
    }
    Ok(())
}

pub fn principal_of(user: &User) -> Principal {
    Principal {
        user_id: user.id,
        username: user.username.clone(),
        role: Role::parse(&user.role).unwrap_or(Role::Investor),
        region: user.region_code.as_deref().and_then(|code| RegionCode::parse(code).ok()),
    }
}

/// Checks a user name and password; a wrong password, an unknown name and a
/// disabled account answer alike.
pub async fn authenticate(store: &Store, username: &str, password: &str) -> AppResult<User> {
    let user = store.user_by_name(username.trim()).await?;
    let Some(user) = user else {
        // Hash anyway so that timing does not reveal which user names exist.
        let _ = hash_password(password).await?;
        return Err(AppError::BadCredentials);
    };
    if !verify_password(password, &user.password_hash).await? || user.disabled {
        return Err(AppError::BadCredentials);
    }
    Ok(user)
}

/// Sign-in attempts allowed per user name and address within `SIGN_IN_WINDOW_SECONDS`.
pub const MAX_SIGN_IN_ATTEMPTS: i64 = 5;
pub const SIGN_IN_WINDOW_SECONDS: i64 = 60;

/// The throttle's key: the user name as sign-in looks it up (trimmed), lower-cased,
/// with the client's address.
fn attempt_key(username: &str, address: Option<IpAddr>) -> String {
    let address = address.map(|a| a.to_string()).unwrap_or_default();
    format!("{}|{address}", username.trim().to_lowercase())
}

/// Signs in with throttling: every attempt is counted before the password is checked
/// (atomically, in the database, so parallel guesses and other servers count too);
/// past `MAX_SIGN_IN_ATTEMPTS` in the window the password is not even checked.
/// A success forgets the count.
pub async fn sign_in(store: &Store, username: &str, password: &str, address: Option<IpAddr>) -> AppResult<User> {
    let key = attempt_key(username, address);
    let attempts = store.count_attempt(&key, chrono::Utc::now(), SIGN_IN_WINDOW_SECONDS).await?;
    if attempts > MAX_SIGN_IN_ATTEMPTS {
        return Err(AppError::TooManyAttempts);
    }
    let user = authenticate(store, username, password).await?;
    store.clear_sign_in_attempts(&key).await?;
    Ok(user)
}

#[derive(Debug, Clone)]
pub struct AccountRequest {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub region: Option<String>,
    /// A liaison's chamber, by its name in the registry (ignored for other roles).
    pub chamber: Option<String>,
    pub password: String,
}

async fn resolve_region(store: &Store, role: Role, region: Option<&str>) -> AppResult<Option<String>> {
    let region = region.map(str::trim).filter(|r| !r.is_empty());
    match region {
        None if role.requires_region() => Err(AppError::Invalid("市州/园区用户必须指定所属地区".into())),
        None => Ok(None),
        Some(code) => {
            let code = RegionCode::parse(code).map_err(|e| AppError::Invalid(e.to_string()))?;
            if store.region(code.as_str()).await?.is_none() {
                return Err(AppError::Invalid(format!("地区代码“{code}”不存在")));
            }
            Ok(Some(code.to_string()))
        }
    }
}

/// A liaison's chamber by its name (none given: none yet); other roles have none.
async fn resolve_chamber(store: &Store, role: Role, chamber: Option<&str>) -> AppResult<Option<i64>> {
    match chamber.map(str::trim).filter(|name| !name.is_empty()) {
        Some(name) if role == Role::Liaison => match store.chamber_by_name(name).await? {
            Some(chamber) => Ok(Some(chamber.id)),
            None => Err(AppError::Invalid(format!("商会“{name}”不在商会名录中"))),
        },
        _ => Ok(None),
    }
}

fn check_username(username: &str) -> AppResult<()> {
    let valid = !username.is_empty()
        && username.chars().count() <= 32
        && username.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.');
    if valid {
        Ok(())
    } else {
        Err(AppError::Invalid("用户名须为1至32个字母、数字、汉字或 _ - .".into()))
    }
}

pub async fn create_account(store: &Store, request: &AccountRequest, actor: &Actor) -> AppResult<User> {
    let username = request.username.trim();
    check_username(username)?;
    let role = Role::parse(&request.role).map_err(|e| AppError::Invalid(e.to_string()))?;
    let region = resolve_region(store, role, request.region.as_deref()).await?;
    let chamber_id = resolve_chamber(store, role, request.chamber.as_deref()).await?;
    check_password_strength(&request.password)?;
    let new = NewUser {
        username: username.to_string(),
        display_name: request.display_name.trim().to_string(),
        role: role.key().to_string(),
        region_code: region,
        password_hash: hash_password(&request.password).await?,
        chamber_id,
    };
    Ok(store.create_user(&new, actor).await?)
}

/// Every account, in id order (the command line's list).
pub async fn all_accounts(store: &Store) -> AppResult<Vec<User>> {
    Ok(store.users().await?)
}

/// The account named `username` (the command line names accounts).
pub async fn account_named(store: &Store, username: &str) -> AppResult<User> {
    store.user_by_name(username).await?.ok_or_else(|| AppError::Invalid(format!("用户“{username}”不存在")))
}

pub async fn set_password(store: &Store, user_id: i64, password: &str, actor: &Actor) -> AppResult<User> {
    check_password_strength(password)?;
    let change = UserChange { password_hash: Some(hash_password(password).await?), ..Default::default() };
    Ok(store.update_user(user_id, &change, actor).await?)
}

pub async fn set_disabled(store: &Store, user_id: i64, disabled: bool, actor: &Actor) -> AppResult<User> {
    let change = UserChange { disabled: Some(disabled), ..Default::default() };
    Ok(store.update_user(user_id, &change, actor).await?)
}

/// Changes role, region, chamber and display name together, so they are checked as a whole.
pub async fn set_role(
    store: &Store,
    user_id: i64,
    role: &str,
    (region, chamber): (Option<&str>, Option<&str>),
    display_name: &str,
    actor: &Actor,
) -> AppResult<User> {
    let role = Role::parse(role).map_err(|e| AppError::Invalid(e.to_string()))?;
    let region = resolve_region(store, role, region).await?;
    let chamber_id = resolve_chamber(store, role, chamber).await?;
    let change = UserChange {
        role: Some(role.key().to_string()),
        region_code: Some(region),
        chamber_id: Some(chamber_id),
        display_name: Some(display_name.trim().to_string()),
        ..Default::default()
    };
    Ok(store.update_user(user_id, &change, actor).await?)
}

/// Sessions end after this long without use…
pub const SESSION_IDLE: chrono::Duration = chrono::Duration::hours(2);
/// …and this long after sign-in.
pub const SESSION_ABSOLUTE: chrono::Duration = chrono::Duration::hours(12);
/// Last-seen times are written at most this often, not on every request.
const SESSION_TOUCH_EVERY: chrono::Duration = chrono::Duration::minutes(1);

/// A live session: its user and its CSRF token.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub user: User,
    pub csrf_token: String,
}

/// Sessions and the user administration, as the pages and the API use them.
impl crate::App {
    /// The session whose token hashes to `token_hash`, when it is live: not idle past
    /// `SESSION_IDLE`, not older than `SESSION_ABSOLUTE`, its user not disabled. A dead
    /// session is deleted.
    pub async fn resume_session(&self, token_hash: &str) -> AppResult<Option<LiveSession>> {
        let store = self.store();
        let Some(record) = store.session(token_hash).await? else { return Ok(None) };
        let now = chrono::Utc::now();
        if now - record.last_seen_at > SESSION_IDLE || now - record.created_at > SESSION_ABSOLUTE {
            store.delete_session(token_hash).await?;
            return Ok(None);
        }
        let Some(user) = store.user_by_id(record.user_id).await? else { return Ok(None) };
        if user.disabled {
            store.delete_session(token_hash).await?;
            return Ok(None);
        }
        if now - record.last_seen_at > SESSION_TOUCH_EVERY {
            store.touch_session(token_hash, now).await?;
        }
        Ok(Some(LiveSession { user, csrf_token: record.csrf_token }))
    }

    /// Signs in (throttled, see `sign_in`), stores the session under `token_hash` with its
    /// CSRF token and records the event.
    pub async fn start_session(
        &self,
        username: &str,
        password: &str,
        address: Option<IpAddr>,
        token_hash: &str,
        csrf_token: &str,
    ) -> AppResult<User> {
        let store = self.store();
        let user = sign_in(store, username, password, address).await?;
        store.create_session(token_hash, user.id, csrf_token, chrono::Utc::now()).await?;
        let event = zhaoshang_store::NewAuditEntry::new(
            zhaoshang_store::AuditAction::SignIn,
            zhaoshang_store::AuditEntity::Session,
            user.id.to_string(),
            None,
            address.map(|a| serde_json::json!({ "address": a.to_string() })),
        );
        store.record_event(&Actor::user(user.id, &user.username), event).await?;
        Ok(user)
    }

    /// Signs out.
    pub async fn end_session(&self, token_hash: &str) -> AppResult<()> {
        Ok(self.store().delete_session(token_hash).await?)
    }

    /// Every account, with the name of its region (administrators only).
    pub async fn accounts(&self, principal: &Principal) -> AppResult<Vec<(User, Option<String>)>> {
        require_admin(principal)?;
        let users = all_accounts(self.store()).await?;
        let names = self.region_names(users.iter().filter_map(|u| u.region_code.clone())).await?;
        Ok(users
            .into_iter()
            .map(|u| {
                let name = u.region_code.as_ref().and_then(|c| names.get(c)).filter(|n| !n.is_empty()).cloned();
                (u, name)
            })
            .collect())
    }

    /// One account (administrators only).
    pub async fn account(&self, principal: &Principal, id: i64) -> AppResult<User> {
        require_admin(principal)?;
        self.store().user_by_id(id).await?.ok_or_else(|| AppError::not_found("该用户"))
    }

    /// The name of the chamber a (liaison) account belongs to.
    pub async fn account_chamber(&self, user: &User) -> AppResult<Option<String>> {
        match user.chamber_id {
            Some(id) => Ok(self.store().chamber(id).await?.map(|chamber| chamber.data.name)),
            None => Ok(None),
        }
    }

    pub async fn create_account(&self, request: &AccountRequest, actor: &Actor) -> AppResult<User> {
        create_account(self.store(), request, actor).await
    }

    /// Changes an account as the administrator's user page asks.
    pub async fn change_account(&self, user_id: i64, change: AccountChange<'_>, actor: &Actor) -> AppResult<User> {
        let store = self.store();
        match change {
            AccountChange::Role { role, region, chamber, display_name } => {
                set_role(store, user_id, role, (region, chamber), display_name, actor).await
            }
            AccountChange::Password(password) => set_password(store, user_id, password, actor).await,
            AccountChange::Disabled(disabled) => set_disabled(store, user_id, disabled, actor).await,
        }
    }
}

/// One change of an account (`App::change_account`).
pub enum AccountChange<'a> {
    /// Role, region, a liaison's chamber and display name together, checked as a whole.
    Role {
        role: &'a str,
        region: Option<&'a str>,
        chamber: Option<&'a str>,
        display_name: &'a str,
    },
    Password(&'a str),
    Disabled(bool),
}

/// 403 for everyone but the administrator.
pub fn require_admin(principal: &Principal) -> AppResult<()> {
    if principal.may_administer() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_per_salt() {
        let first = hash_password("correct horse").await.unwrap();
        let second = hash_password("correct horse").await.unwrap();
        assert_ne!(first, second);
        assert!(first.starts_with("$argon2"));
        assert!(verify_password("correct horse", &first).await.unwrap());
        assert!(!verify_password("wrong horse", &first).await.unwrap());
        assert!(!verify_password("x", "not a hash").await.unwrap());
    }

    #[test]
    fn attempts_are_keyed_by_the_name_as_sign_in_reads_it() {
        let address = Some("127.0.0.1".parse().unwrap());
        let key = attempt_key("reviewer", address);
        for variant in [" reviewer", "Reviewer ", "\u{3000}REVIEWER\t"] {
            assert_eq!(attempt_key(variant, address), key, "{variant:?}");
        }
        assert_ne!(attempt_key("reviewer", None), key);
        assert_ne!(attempt_key("reviewer2", address), key);
    }

    #[test]
    fn usernames_and_passwords_are_checked() {
        assert!(check_username("zhang_san").is_ok());
        assert!(check_username("张三").is_ok());
        assert!(check_username("").is_err());
        assert!(check_username("a b").is_err());
        assert!(check_password_strength("short").unwrap_err().to_string().contains("至少需要12个字符"));
        // ASVS 2.1.1: twelve characters at least, counted as characters (not bytes).
        assert!(check_password_strength("elevenchars").is_err());
        assert!(check_password_strength("twelve chars").is_ok());
        assert!(check_password_strength("招商引资平台密码十二个字").is_ok());
    }
}
