//! Paging, filtering and sorting of list queries, shared by every list endpoint.

use serde::Deserialize;

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// `?page=&limit=&status=&q=&sort=`, already checked: `page` ≥ 1, `limit` in 1..=100.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub page: i64,
    pub limit: i64,
    /// Exact status, or empty for any.
    pub status: String,
    /// A case-insensitive piece of the name, or empty.
    pub q: String,
    /// A sort key, `-` first for descending; checked against each table's allow-list.
    pub sort: String,
}

/// The raw query string, before checking.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    pub page: Option<i64>,
    pub limit: Option<i64>,
    pub status: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
}

impl ListParams {
    pub fn check(self) -> Result<ListQuery, String> {
        let page = self.page.unwrap_or(1);
        if page < 1 {
            return Err("page must be 1 or more".into());
        }
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(format!("limit must be between 1 and {MAX_LIMIT}"));
        }
        Ok(ListQuery {
            page,
            limit,
            status: self.status.unwrap_or_default().trim().to_ascii_lowercase(),
            q: self.q.unwrap_or_default().trim().to_lowercase(),
            sort: self.sort.unwrap_or_default(),
        })
    }
}

impl Default for ListQuery {
    fn default() -> Self {
        ListParams::default()
            .check()
            .unwrap_or_else(|_| unreachable!("the defaults are valid"))
    }
}

impl ListQuery {
    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.limit)
    }

    /// `%q%` with LIKE's wildcards escaped, or empty when there is no `q`.
    pub fn like_pattern(&self) -> String {
        if self.q.is_empty() {
            return String::new();
        }
        let escaped: String = self
            .q
            .chars()
            .filter(|c| !matches!(c, '%' | '_' | '\\'))
            .collect();
        format!("%{escaped}%")
    }

    /// An ORDER BY clause from `allowed` (sort key, column); newest first by default. Unknown
    /// keys fall back to the default rather than failing, as most APIs do.
    pub fn order_by(&self, allowed: &[(&str, &'static str)]) -> String {
        let (descending, key) = match self.sort.strip_prefix('-') {
            Some(key) => (true, key),
            None if self.sort.is_empty() => (true, "created_at"),
            None => (false, self.sort.as_str()),
        };
        let column = allowed
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, column)| *column)
            .unwrap_or("id");
        let direction = if descending { "desc" } else { "asc" };
        // `id` (a UUIDv7, so time-ordered) breaks ties and keeps pages stable.
        format!("{column} {direction}, id {direction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(sort: &str) -> ListQuery {
        ListQuery {
            sort: sort.into(),
            ..ListQuery::default()
        }
    }

    #[test]
    fn sorting_only_uses_allowed_columns() {
        let allowed = [("name", "name"), ("created_at", "id")];
        assert_eq!(query("").order_by(&allowed), "id desc, id desc");
        assert_eq!(query("name").order_by(&allowed), "name asc, id asc");
        assert_eq!(query("-name").order_by(&allowed), "name desc, id desc");
        assert_eq!(
            query("name;drop table users").order_by(&allowed),
            "id asc, id asc"
        );
    }

    #[test]
    fn bad_paging_is_refused() {
        let params = |page, limit| ListParams {
            page: Some(page),
            limit: Some(limit),
            ..ListParams::default()
        };
        assert!(params(0, 10).check().is_err());
        assert!(params(1, 0).check().is_err());
        assert!(params(1, 101).check().is_err());
        assert_eq!(params(3, 10).check().unwrap().offset(), 20);
    }

    #[test]
    fn like_wildcards_in_the_search_are_dropped() {
        let q = ListQuery {
            q: "50%_off".into(),
            ..ListQuery::default()
        };
        assert_eq!(q.like_pattern(), "%50off%");
    }
}
