//! `/api/v1/agent`: endpoints for remote compute agents, authenticated by request signatures
//! (see [`tseeder_core::services::agent_auth`]) instead of sessions or API keys.
//!
//! The signature covers the exact body bytes, so the body is read raw, the signature verified,
//! and only then is the JSON parsed: nothing an unauthenticated sender wrote is interpreted.

use std::sync::Arc;

use poem::web::Data;
use poem::{Request, RequestBody};
use poem_openapi::auth::ApiKey;
use poem_openapi::payload::Json;
use poem_openapi::registry::{MetaMediaType, MetaRequest, Registry};
use poem_openapi::types::ParseFromJSON;
use poem_openapi::{ApiExtractor, ApiExtractorType, ExtractParamOptions, OpenApi, SecurityScheme};
use tseeder_core::domain::Heartbeat;
use tseeder_core::services::agent_auth::{SIGNATURE_HEADER, TIMESTAMP_HEADER};

use super::ApiTag;
use crate::dto::worker::{HeartbeatRequest, HeartbeatResponse};
use crate::error::{ApiError, ApiResult};
use crate::request::RequestContext;
use crate::state::Shared;
use tseeder_core::error::ErrorCode;

/// Largest accepted agent request body. A heartbeat is a few hundred bytes.
const MAX_AGENT_BODY_BYTES: usize = 64 * 1024;

/// A request signed with the agents' shared secret (`agents.secret`): `X-Tseeder-Timestamp` is
/// the unix time in seconds, and `X-Tseeder-Signature` the lowercase hex HMAC-SHA256 of
/// `tseeder-agent-v1\n{METHOD}\n{path and query}\n{timestamp}\n{hex SHA-256 of the body}`. The
/// timestamp must be within `agents.signature_window_secs` (60 s by default) of the server's
/// clock, and a signature is accepted once.
#[derive(SecurityScheme)]
#[oai(rename = "agentSignature", ty = "api_key", key_name = "X-Tseeder-Signature", key_in = "header")]
#[expect(dead_code, reason = "documents the scheme; `Signed` checks the headers itself")]
pub(crate) struct AgentSignatureScheme(ApiKey);

/// A JSON body whose request passed the agent signature check. Documented as a JSON request body
/// under the `agentSignature` security scheme.
#[derive(Debug)]
pub(crate) struct Signed<T>(pub(crate) T);

impl<'a, T: ParseFromJSON> ApiExtractor<'a> for Signed<T> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject, ApiExtractorType::SecurityScheme];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        T::register(registry);
        AgentSignatureScheme::register(registry);
    }

    fn security_schemes() -> Vec<&'static str> {
        AgentSignatureScheme::security_schemes()
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType { content_type: "application/json; charset=utf-8", schema: T::schema_ref() }],
            required: true,
        })
    }

    async fn from_request(
        req: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let Some(shared) = req.data::<Arc<Shared>>() else {
            tracing::error!("the application state is missing from the request");
            return Err(ApiError::internal().into());
        };
        let Some(context) = req.extensions().get::<RequestContext>() else {
            tracing::error!("the request context is missing from the request");
            return Err(ApiError::internal().into());
        };
        let too_large =
            || ApiError::payload_too_large(format!("an agent request body is at most {MAX_AGENT_BODY_BYTES} bytes"));
        let declared = req.header(poem::http::header::CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|len| len > MAX_AGENT_BODY_BYTES as u64) {
            return Err(too_large().into());
        }
        let bytes = body.take()?.into_bytes_limit(MAX_AGENT_BODY_BYTES).await.map_err(|e| match e {
            poem::error::ReadBodyError::PayloadTooLarge => poem::Error::from(too_large()),
            other => poem::Error::from(other),
        })?;
        shared
            .core
            .fleet
            .verify_agent_request(
                req.method().as_str(),
                &context.target,
                req.header(TIMESTAMP_HEADER),
                req.header(SIGNATURE_HEADER),
                &bytes,
                &context.meta,
            )
            .await
            .map_err(ApiError::from)?;
        let invalid = |message: String| ApiError::new(ErrorCode::InvalidHeartbeat, message);
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| invalid(format!("the body is not JSON: {e}")))?;
        let parsed = T::parse_from_json(Some(value)).map_err(|e| invalid(e.into_message()))?;
        Ok(Self(parsed))
    }
}

/// Endpoints for remote compute agents.
#[derive(Debug)]
pub(crate) struct AgentApi;

#[OpenApi(prefix_path = "/api/v1/agent", tag = "ApiTag::Agents")]
impl AgentApi {
    /// Report an agent's state
    ///
    /// Registers the agent on its first heartbeat and records its latest state and a history
    /// row on every one. The request must be signed (`X-Tseeder-Timestamp` and
    /// `X-Tseeder-Signature`, see the `agentSignature` scheme); a refused signature is 401
    /// `agent_unauthenticated` (or `agent_replayed` for a replay) and is recorded as an
    /// `agent.auth_failed` security event. 403 `agents_disabled` when the server has no
    /// `agents.secret`. 400 `invalid_heartbeat` for a body that does not parse or validate.
    #[oai(path = "/heartbeat", method = "post", operation_id = "agentHeartbeat")]
    async fn heartbeat(
        &self,
        app: Data<&Arc<Shared>>,
        body: Signed<HeartbeatRequest>,
    ) -> ApiResult<Json<HeartbeatResponse>> {
        let heartbeat: Heartbeat =
            body.0.into_heartbeat().map_err(|message| ApiError::new(ErrorCode::InvalidHeartbeat, message))?;
        let fleet = &app.core.fleet;
        let worker = fleet.record_heartbeat(heartbeat).await?;
        Ok(Json(HeartbeatResponse { worker: fleet.describe(worker).into(), server_time: fleet.now() }))
    }
}
