//! Paginated lists: `{data: [...], meta: {page, limit, total, totalPages}}`, as in the original.

use poem_openapi::Object;
use poem_openapi::types::{ParseFromJSON, ToJSON};
use tseeder_core::domain::Page as DomainPage;

/// Where a page sits in the whole list.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct PageMeta {
    /// This page's number, from 1.
    pub(crate) page: u64,
    /// Page size.
    pub(crate) limit: u64,
    /// Items across all pages.
    pub(crate) total: u64,
    /// Number of pages.
    pub(crate) total_pages: u64,
}

/// One page of a list.
#[derive(Debug, Clone, Object)]
pub(crate) struct Page<T: ParseFromJSON + ToJSON> {
    /// The items.
    pub(crate) data: Vec<T>,
    /// Position in the list.
    pub(crate) meta: PageMeta,
}

impl<U, T: ParseFromJSON + ToJSON + From<U>> From<DomainPage<U>> for Page<T> {
    fn from(page: DomainPage<U>) -> Self {
        let meta = PageMeta { page: page.page, limit: page.limit, total: page.total, total_pages: page.total_pages() };
        Self { data: page.items.into_iter().map(T::from).collect(), meta }
    }
}

/// The same bytes as [`ToJSON`] (see [`crate::dto::JsonBody`]): keys in sorted order.
impl serde::Serialize for PageMeta {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("limit", &self.limit)?;
        map.serialize_entry("page", &self.page)?;
        map.serialize_entry("total", &self.total)?;
        map.serialize_entry("totalPages", &self.total_pages)?;
        map.end()
    }
}

/// The same bytes as [`ToJSON`] when `T`'s own `Serialize` writes what its `ToJSON` does.
impl<T: ParseFromJSON + ToJSON + serde::Serialize> serde::Serialize for Page<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("data", &self.data)?;
        map.serialize_entry("meta", &self.meta)?;
        map.end()
    }
}
