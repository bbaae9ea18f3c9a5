//! Backups of the whole database: one JSON document of every table, and restoring one
//! in place of the database's content (`zhaoshang backup` and `zhaoshang restore`).

use crate::AppResult;
use serde_json::Value;
use zhaoshang_store::{Actor, Store};

/// Every table as one consistent snapshot.
pub async fn backup(store: &Store) -> AppResult<Value> {
    Ok(store.backup().await?)
}

/// Replaces every table's content with the backup's, all or nothing; audited.
pub async fn restore(store: &Store, backup: &Value, actor: &Actor) -> AppResult<()> {
    Ok(store.restore(backup, actor).await?)
}
