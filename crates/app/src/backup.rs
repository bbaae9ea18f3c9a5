//! Backups of the whole database: every table streamed into a compressed file, and
//! restoring one in place of the database's content (`zhaoshang backup` and
//! `zhaoshang restore`).

use crate::AppResult;
use std::io::{Read, Write};
use zhaoshang_store::{Actor, Store};

/// Every table as one consistent snapshot, written to `out`; returns `out` and the
/// number of rows written.
pub async fn backup<W: Write + Send>(store: &Store, out: W) -> AppResult<(W, u64)> {
    Ok(store.backup_to(out).await?)
}

/// Replaces every table's content with the backup read from `input`, all or nothing;
/// audited.
pub async fn restore<R: Read + Send>(store: &Store, input: R, actor: &Actor) -> AppResult<()> {
    Ok(store.restore_from(input, actor).await?)
}
