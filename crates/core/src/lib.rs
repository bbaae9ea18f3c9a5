//! Pure rules of Zhaoshang, one module per area, with no I/O: everything here is
//! unit-tested without a database.

pub mod access;
pub mod achievements;
pub mod activities;
pub mod activity_plans;
pub mod appeals;
pub mod attachments;
pub mod audit;
pub mod calendar;
pub mod chains;
pub mod chambers;
pub mod codes;
pub mod colours;
pub mod credit_code;
pub mod enterprises;
pub mod evaluation;
pub mod forms;
pub mod inbox;
pub mod instructions;
pub mod leads;
pub mod metrics;
pub mod money;
pub mod parcels;
pub mod periods;
pub mod projects;
pub mod regions;
pub mod reports;
pub mod rounds;
pub mod scores;
pub mod search;
pub mod statistical_report;
#[cfg(test)]
mod testing;
pub mod text;
pub mod travel;
pub mod visits;
pub mod work_plans;

/// A closed vocabulary: an enum whose values each have a stored key and a Chinese
/// label, with `ALL`, `key`, `label` and `from_key`.
#[macro_export]
macro_rules! vocabulary {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($variant:ident => ($key:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_key(key: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|value| value.key() == key)
            }
        }
    };
}
