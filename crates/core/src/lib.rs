//! Pure rules of Zhaoshang, one module per area, with no I/O: everything here is
//! unit-tested without a database.

pub mod access;
pub mod appeals;
pub mod calendar;
pub mod chains;
pub mod chambers;
pub mod credit_code;
pub mod enterprises;
pub mod evaluation;
pub mod inbox;
pub mod metrics;
pub mod money;
pub mod periods;
pub mod projects;
pub mod regions;
pub mod scores;
pub mod search;
pub mod text;
