//! Application services shared by the web handlers and the command line, so both
//! apply the same rules: accounts and sign-in, reference data, demo data.

pub mod accounts;
pub mod calendar;
pub mod chains;
pub mod demo;
pub mod demo_enterprises;
pub mod demo_pipeline;
pub mod exchange;
pub mod inbox;
pub mod notify;
pub mod reference_data;
pub mod reports;
pub mod scope;
pub mod search;
pub mod stats;

use zhaoshang_store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that breaks a rule; the message is shown to the user as it is.
    #[error("{0}")]
    Invalid(String),
    #[error("用户名或密码错误")]
    BadCredentials,
    /// Too many failed sign-ins for one user name from one address within a minute.
    #[error("登录失败次数过多，请一分钟后再试")]
    TooManyAttempts,
    /// Work that is bounded (password hashing) has more waiting than it takes.
    #[error("{0}")]
    Busy(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("内部错误：{0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

/// Opens and migrates the database, loads reference data on first start, and with
/// `demo` fills an empty database with demo accounts and data.
pub async fn open(database_url: &str, demo: bool) -> AppResult<Store> {
    let store = Store::open(database_url).await?;
    reference_data::ensure_loaded(&store).await?;
    calendar::ensure_loaded(&store).await?;
    if demo {
        demo::ensure_demo(&store).await?;
    }
    Ok(store)
}
