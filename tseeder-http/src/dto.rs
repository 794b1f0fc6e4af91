//! Request and response bodies of the API (`#[derive(Object)]`), with conversions from the core
//! domain types. Core types never derive poem-openapi traits: the wire format is decided here,
//! and what is left out is left out on purpose (magnet URIs, torrent bytes, token hashes).
//! Field names are camelCase; absent values are left out of responses (never `null`).

pub(crate) mod account;
pub(crate) mod admin;
pub(crate) mod admin_config;
pub(crate) mod admin_dlq;
pub(crate) mod admin_users;
pub(crate) mod billing;
pub(crate) mod event;
pub(crate) mod file;
pub(crate) mod job;
pub(crate) mod observability;
pub(crate) mod org;
pub(crate) mod page;
pub(crate) mod plan;
pub(crate) mod policy;
pub(crate) mod preview;
pub(crate) mod retention;
pub(crate) mod search;
pub(crate) mod status;
pub(crate) mod text;
pub(crate) mod worker;

/// A JSON body written straight from its value with serde, for the hot lists: the same bytes,
/// schema and content type as poem-openapi's [`Json`](poem_openapi::payload::Json), without
/// building the intermediate [`serde_json::Value`] tree (a map and an allocation per field of
/// every item). `T`'s `Serialize` must write what its `ToJSON` writes, keys in sorted order;
/// each such type has a test that compares the two byte for byte.
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<T: poem_openapi::types::ToJSON + serde::Serialize + Send> poem::IntoResponse for JsonBody<T> {
    fn into_response(self) -> poem::Response {
        poem::web::Json(self.0).into_response()
    }
}

impl<T: poem_openapi::types::ToJSON + serde::Serialize + Send> poem_openapi::ApiResponse for JsonBody<T> {
    fn meta() -> poem_openapi::registry::MetaResponses {
        poem_openapi::payload::Json::<T>::meta()
    }

    fn register(registry: &mut poem_openapi::registry::Registry) {
        poem_openapi::payload::Json::<T>::register(registry);
    }
}
