//! `GET /api/v1/health`.

use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::ApiTag;
use crate::error::ApiResult;

/// The health check's answer.
#[derive(Debug, Clone, Object)]
pub(crate) struct HealthView {
    /// Always `ok` when the server answers.
    pub(crate) status: String,
    /// The server's version.
    pub(crate) version: String,
}

/// Liveness.
#[derive(Debug)]
pub(crate) struct HealthApi;

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTag::Health")]
impl HealthApi {
    /// Liveness check
    ///
    /// Answers as long as the server runs; needs no credentials and touches no storage. Its
    /// errors are those that any path can give, such as 413 for an oversized body.
    #[oai(path = "/health", method = "get", operation_id = "health")]
    async fn health(&self) -> ApiResult<Json<HealthView>> {
        Ok(Json(HealthView { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() }))
    }
}
