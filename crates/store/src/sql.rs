//! What every area's queries build SQL text from: numbered placeholders, many-row
//! VALUES lists, how many keys or rows one statement takes, the code range of a region
//! prefix, and the conditions of filtered lists with their bound values.

use crate::Backend;
use chrono::NaiveDate;

/// Bound parameters per statement: below SQLite's limit (32766) and PostgreSQL's (65535).
pub(crate) const MAX_PARAMETERS: usize = 30_000;

/// Keys per `IN (…)` list: well below both backends' parameter limits, and few enough
/// that a list's statement stays short.
pub(crate) const IN_LIST_CHUNK: usize = 500;

/// How many rows of `columns` parameters each one statement takes.
pub(crate) const fn rows_per_statement(columns: usize) -> usize {
    MAX_PARAMETERS / columns
}

/// `$first, $first+1, …`, `count` of them.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// `($1, …, $k), ($k+1, …)` for `rows` rows of `columns` parameters each; on SQLite
/// anonymous `?`s instead, in the same order. SQLite looks a named parameter's name
/// up by walking all the names, so binding thousands of `$n` costs time quadratic in
/// their number (most of a load's time, measured); `?`s have no names to walk.
pub(crate) fn value_rows(backend: Backend, rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let parameters: Vec<String> = (1..=columns)
                .map(|column| match backend {
                    Backend::Sqlite => "?".to_string(),
                    Backend::Postgres => format!("${}", row * columns + column),
                })
                .collect();
            format!("({})", parameters.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The half-open code range `[lo, hi)` of a region prefix: an index range scan
/// on both backends (LIKE 'p%' is not, on SQLite).
pub fn prefix_range(prefix: &str) -> (String, String) {
    if prefix.is_empty() {
        return (String::new(), "~".to_string());
    }
    let mut hi = prefix.as_bytes().to_vec();
    if let Some(last) = hi.last_mut() {
        *last += 1;
    }
    (prefix.to_string(), String::from_utf8(hi).unwrap_or_else(|_| "~".into()))
}

/// Reads the rows of a query whose `IN (…)` list holds `$keys`, `IN_LIST_CHUNK` keys a
/// statement: `$sql` turns a chunk's length into the SQL text, `$fetch` is `query_as`
/// or `query_scalar`, and `$extra` are bound after the keys. Run on the store's pool,
/// or with `on $executor` (e.g. `&mut *tx`) on a transaction.
macro_rules! fetch_in_chunks {
    (on $executor:expr, $fetch:ident, $keys:expr, $sql:expr $(, $extra:expr)*) => {{
        let mut rows = Vec::new();
        for chunk in $keys.chunks($crate::sql::IN_LIST_CHUNK) {
            let sql: String = ($sql)(chunk.len());
            let mut query = sqlx::$fetch(&sql);
            for key in chunk {
                query = query.bind(key);
            }
            let found: Vec<_> = query$(.bind($extra))*.fetch_all($executor).await?;
            rows.extend(found);
        }
        rows
    }};
    ($store:expr, $fetch:ident, $keys:expr, $sql:expr $(, $extra:expr)*) => {{
        let mut rows = Vec::new();
        // The pool once per statement (`Store::pool_uses` counts statements).
        for chunk in $keys.chunks($crate::sql::IN_LIST_CHUNK) {
            let found: Vec<_> =
                on_pool!($store, |pool| $crate::sql::fetch_in_chunks!(on pool, $fetch, chunk, $sql $(, $extra)*));
            rows.extend(found);
        }
        rows
    }};
}
pub(crate) use fetch_in_chunks;

/// A bound value of a filtered list's query.
pub(crate) enum Param {
    Text(String),
    Int(i64),
    Float(f64),
    Date(NaiveDate),
}

/// The WHERE clauses of a list query with their parameters, numbered in order.
pub(crate) struct Conditions {
    clauses: Vec<String>,
    pub(crate) params: Vec<Param>,
}

impl Conditions {
    pub(crate) fn new() -> Conditions {
        Conditions { clauses: Vec::new(), params: Vec::new() }
    }

    /// Adds a clause whose parameters are written `?1`, `?2`… in the order of `params`.
    pub(crate) fn push(&mut self, clause: &str, params: Vec<Param>) {
        let mut clause = clause.to_string();
        for (offset, param) in params.into_iter().enumerate() {
            clause = clause.replace(&format!("?{}", offset + 1), &format!("${}", self.params.len() + 1));
            self.params.push(param);
        }
        self.clauses.push(clause);
    }

    /// Adds "`column` lies within the region `prefix`" (see `prefix_range`).
    pub(crate) fn push_prefix(&mut self, column: &str, prefix: &str) {
        let (lo, hi) = prefix_range(prefix);
        self.push(&format!("{column} >= ?1 AND {column} < ?2"), vec![Param::Text(lo), Param::Text(hi)]);
    }

    /// Adds `column IN (…)` for `values`; an empty list matches nothing.
    pub(crate) fn push_in(&mut self, column: &str, values: &[String]) {
        if values.is_empty() {
            self.clauses.push("1 = 0".to_string());
            return;
        }
        self.clauses.push(format!("{column} IN ({})", placeholders(self.params.len() + 1, values.len())));
        self.params.extend(values.iter().cloned().map(Param::Text));
    }

    pub(crate) fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// `SELECT {columns} FROM {table}` with these conditions, ordered, and two more
    /// parameters for LIMIT and OFFSET (bound after the conditions' own).
    pub(crate) fn page_sql(&self, columns: &str, table: &str, order_by: &str) -> String {
        let n = self.params.len();
        format!(
            "SELECT {columns} FROM {table} {} ORDER BY {order_by} LIMIT ${} OFFSET ${}",
            self.where_sql(),
            n + 1,
            n + 2
        )
    }
}

/// A LIKE pattern (with `ESCAPE '\\'`) matching text that contains the keyword; `None`
/// for no keyword.
pub(crate) fn contains_pattern(keyword: &Option<String>) -> Option<String> {
    let keyword = keyword.as_deref().map(str::trim).filter(|k| !k.is_empty())?;
    Some(like_contains(keyword))
}

/// `text` with LIKE's wildcards (and the escape itself) escaped by `\`.
pub(crate) fn like_literal(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The `LIKE … ESCAPE '\\'` pattern of text containing `text` literally.
pub(crate) fn like_contains(text: &str) -> String {
    format!("%{}%", like_literal(text))
}

/// The `LIKE … ESCAPE '\\'` pattern of text starting with `text` literally.
pub(crate) fn like_prefix(text: &str) -> String {
    format!("{}%", like_literal(text))
}

/// Binds a `Conditions`' parameters onto `$query`, in order.
macro_rules! bind_params {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                $crate::sql::Param::Text(v) => query.bind(v.clone()),
                $crate::sql::Param::Int(v) => query.bind(*v),
                $crate::sql::Param::Float(v) => query.bind(*v),
                $crate::sql::Param::Date(v) => query.bind(*v),
            };
        }
        query
    }};
}
pub(crate) use bind_params;

#[cfg(test)]
mod tests {
    use super::{placeholders, prefix_range, value_rows};
    use crate::Backend;

    #[test]
    fn value_rows_number_parameters_row_by_row() {
        assert_eq!(value_rows(Backend::Postgres, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(value_rows(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
    }

    #[test]
    fn placeholders_count_on_from_the_first() {
        assert_eq!(placeholders(1, 3), "$1, $2, $3");
        assert_eq!(placeholders(4, 2), "$4, $5");
        assert_eq!(placeholders(1, 0), "");
    }

    #[test]
    fn prefix_ranges_cover_exactly_the_sub_regions() {
        assert_eq!(prefix_range("6205"), ("6205".to_string(), "6206".to_string()));
        assert_eq!(prefix_range("62"), ("62".to_string(), "63".to_string()));
        let (lo, hi) = prefix_range("6209");
        assert!("620902" >= lo.as_str() && "620902" < hi.as_str());
        assert!("621000" >= hi.as_str());
        assert_eq!(prefix_range(""), (String::new(), "~".to_string()));
    }
}
