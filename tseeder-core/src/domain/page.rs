//! Pagination.

/// A page request: 1-based page number and page size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageRequest {
    /// Page number, from 1.
    pub page: u64,
    /// Items per page, 1..=[`PageRequest::MAX_LIMIT`].
    pub limit: u64,
}

impl PageRequest {
    /// Largest page size.
    pub const MAX_LIMIT: u64 = 100;

    /// A request with the page and limit clamped into range.
    pub fn new(page: u64, limit: u64) -> Self {
        Self { page: page.max(1), limit: limit.clamp(1, Self::MAX_LIMIT) }
    }

    /// Rows to skip.
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.limit
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(1, 20)
    }
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Which page this is.
    pub page: u64,
    /// Page size.
    pub limit: u64,
    /// Items across all pages.
    pub total: u64,
}

impl<T> Page<T> {
    /// Number of pages.
    pub fn total_pages(&self) -> u64 {
        self.total.div_ceil(self.limit.max(1))
    }

    /// Converts the items.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), page: self.page, limit: self.limit, total: self.total }
    }
}
