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
