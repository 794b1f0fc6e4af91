//! The `/api/v1` operations, one `#[OpenApi]` struct per resource.
//!
//! Handlers are thin: extract, call one service method, convert to a DTO. Roles, scopes, quotas
//! and state transitions are the services' business; the handlers only add what is HTTP's:
//! cookies, CSRF (in [`crate::auth`]), rate limits and status codes.
//!
//! The structs hold no state: handlers reach the services through the shared state
//! (`Data<&Arc<Shared>>`), so [`crate::openapi::spec`] can build the document without a
//! database.

pub(crate) mod account;
pub(crate) mod admin;
pub(crate) mod admin_config;
pub(crate) mod admin_dlq;
pub(crate) mod admin_users;
pub(crate) mod agent;
pub(crate) mod billing;
pub(crate) mod file;
pub(crate) mod health;
pub(crate) mod job;
pub(crate) mod observability;
pub(crate) mod org;
pub(crate) mod plan;
pub(crate) mod policy;
pub(crate) mod preview;
pub(crate) mod retention;
pub(crate) mod status;

use poem::{Request, RequestBody};
use poem_openapi::payload::Json;
use poem_openapi::registry::{MetaMediaType, MetaRequest, Registry};
use poem_openapi::types::ParseFromJSON;
use poem_openapi::{ApiExtractor, ApiExtractorType, ApiResponse, ExtractParamOptions, Tags};

/// Groups of operations in the spec.
#[derive(Debug, Tags)]
pub(crate) enum ApiTag {
    /// Liveness.
    Health,
    /// Registration, login, sessions and API keys.
    Auth,
    /// Download jobs.
    Jobs,
    /// Stored files: listing, downloads, signed links, zip archives.
    Files,
    /// Plans and usage.
    Plans,
    /// Organizations: their members, roles and invitations by email.
    Orgs,
    /// An organization's plan bought at the payment provider (Stripe), and its webhook.
    Billing,
    /// Operator endpoints (support, admin and superadmin roles).
    Admin,
    /// Endpoints for remote compute agents, authenticated by request signatures.
    Agents,
    /// The public status page's data: no authentication.
    Status,
}

/// An empty success.
#[derive(Debug, ApiResponse)]
pub(crate) enum NoContent {
    /// Done.
    #[oai(status = 204)]
    Done,
}

/// Default page number.
pub(crate) fn default_page() -> u64 {
    1
}

/// Default page size.
pub(crate) fn default_limit() -> u64 {
    20
}

/// An optional JSON body: absent (no `Content-Type`, or an empty body) is `None`. poem-openapi's
/// own `Json<Option<T>>` still demands a `Content-Type` header, which a body-less `DELETE`
/// does not have.
#[derive(Debug)]
pub(crate) struct OptionalJson<T>(pub(crate) Option<T>);

impl<'a, T: ParseFromJSON> ApiExtractor<'a> for OptionalJson<T> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        T::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType { content_type: "application/json; charset=utf-8", schema: T::schema_ref() }],
            required: false,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut RequestBody,
        param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        if request.content_type().is_none() {
            return Ok(Self(None));
        }
        let Json(value) = <Json<Option<T>> as ApiExtractor<'a>>::from_request(request, body, param_opts).await?;
        Ok(Self(value))
    }
}
