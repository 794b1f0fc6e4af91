//! The OpenAPI document. [`crate::app`] serves the same service it describes, so the document
//! cannot drift from the routes.

use poem_openapi::{ExtraHeader, OpenApiService};

use crate::api::account::AccountApi;
use crate::api::admin::AdminApi;
use crate::api::admin_config::ConfigAdminApi;
use crate::api::admin_dlq::DlqAdminApi;
use crate::api::admin_users::UserAdminApi;
use crate::api::agent::AgentApi;
use crate::api::file::FileApi;
use crate::api::health::HealthApi;
use crate::api::job::JobApi;
use crate::api::plan::PlanApi;
use crate::api::policy::PolicyApi;
use crate::api::retention::RetentionApi;

pub(crate) type Apis = (
    HealthApi,
    AccountApi,
    JobApi,
    FileApi,
    PlanApi,
    AdminApi,
    (ConfigAdminApi, UserAdminApi, DlqAdminApi),
    PolicyApi,
    RetentionApi,
    AgentApi,
);

const DESCRIPTION: &str = "\
The tseeder API: submit torrent downloads and manage them.

Authenticate with `Authorization: Bearer <token>` (an API key `tsk_...` or a session token), or with \
the `session` cookie set by `POST /api/v1/auth/login`. Cookie requests other than GET, HEAD and \
OPTIONS must also send `X-CSRF-Token` (the `csrfToken` from login or `GET /api/v1/auth/me`). \
Remote compute agents sign their requests instead (`X-Tseeder-Timestamp` and `X-Tseeder-Signature`, \
see the `agentSignature` scheme).

Every error has the body `{\"error\": {\"code\", \"message\", \"requestId\"}}`; branch on `code`. \
Every response carries `X-Request-Id`.";

/// The API service that [`crate::app`] mounts and [`spec`] describes.
pub(crate) fn service() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            HealthApi,
            AccountApi,
            JobApi,
            FileApi,
            PlanApi,
            AdminApi,
            (ConfigAdminApi, UserAdminApi, DlqAdminApi),
            PolicyApi,
            RetentionApi,
            AgentApi,
        ),
        "tseeder",
        env!("CARGO_PKG_VERSION"),
    )
    .description(DESCRIPTION)
    .extra_response_header::<String, _>(
        ExtraHeader::new("X-Request-Id").description("The request's id, also in error bodies as `requestId`."),
    )
}

/// The OpenAPI 3 document of the `/api/v1` API, as pretty-printed JSON. It is also served at
/// `GET /api/v1/openapi.json`.
pub fn spec() -> String {
    service().spec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> serde_json::Value {
        serde_json::from_str(&spec()).expect("the spec is JSON")
    }

    #[test]
    fn the_spec_lists_every_resource() {
        let doc = document();
        let paths = doc["paths"].as_object().unwrap();
        for path in [
            "/api/v1/health",
            "/api/v1/auth/login",
            "/api/v1/auth/api-keys/{id}",
            "/api/v1/jobs",
            "/api/v1/jobs/{id}",
            "/api/v1/jobs/{id}/events",
            "/api/v1/jobs/{id}/history",
            "/api/v1/jobs/{id}/files",
            "/api/v1/jobs/{id}/zip",
            "/api/v1/files/{id}",
            "/api/v1/files/{id}/download",
            "/api/v1/files/{id}/signed-url",
            "/api/v1/files/{id}/stream",
            "/api/v1/plans",
            "/api/v1/usage",
            "/api/v1/admin/blocklist/{infohash}",
            "/api/v1/admin/dlq/{id}/replay",
            "/api/v1/admin/workers",
            "/api/v1/admin/workers/{id}",
            "/api/v1/admin/workers/{id}/cordon",
            "/api/v1/admin/workers/{id}/drain",
            "/api/v1/admin/workers/{id}/uncordon",
            "/api/v1/agent/heartbeat",
        ] {
            assert!(paths.contains_key(path), "{path} missing from {:?}", paths.keys().collect::<Vec<_>>());
        }
    }

    #[test]
    fn both_credentials_are_documented() {
        let doc = document();
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes["bearerAuth"]["scheme"], "bearer");
        assert_eq!(schemes["sessionCookie"]["in"], "cookie");
        assert_eq!(schemes["sessionCookie"]["name"], "session");
        let security = doc["paths"]["/api/v1/jobs"]["post"]["security"].as_array().unwrap();
        assert_eq!(security.len(), 2, "either credential works: {security:?}");
        assert!(doc["paths"]["/api/v1/plans"]["get"].get("security").is_none());
    }

    #[test]
    fn agent_heartbeats_are_signed_json_and_take_no_user_credentials() {
        let doc = document();
        let scheme = &doc["components"]["securitySchemes"]["agentSignature"];
        assert_eq!((scheme["type"].as_str(), scheme["in"].as_str()), (Some("apiKey"), Some("header")), "{scheme}");
        assert_eq!(scheme["name"], "X-Tseeder-Signature");
        let op = &doc["paths"]["/api/v1/agent/heartbeat"]["post"];
        let security = op["security"].as_array().unwrap();
        assert_eq!(security.len(), 1, "{security:?}");
        assert!(security[0].get("agentSignature").is_some(), "{security:?}");
        let schema =
            op["requestBody"]["content"]["application/json; charset=utf-8"]["schema"]["$ref"].as_str().unwrap();
        assert!(schema.ends_with("/Heartbeat"), "{schema}");
    }

    #[test]
    fn job_submission_takes_json_or_multipart() {
        let doc = document();
        let content = doc["paths"]["/api/v1/jobs"]["post"]["requestBody"]["content"].as_object().unwrap();
        assert!(content.keys().any(|k| k.starts_with("application/json")), "{content:?}");
        assert!(content.contains_key("multipart/form-data"), "{content:?}");
    }

    #[test]
    fn live_events_are_an_event_stream() {
        let doc = document();
        let ok = &doc["paths"]["/api/v1/jobs/{id}/events"]["get"]["responses"]["200"];
        let schema = &ok["content"]["text/event-stream"]["schema"];
        assert_eq!(schema["format"], "event-stream", "{ok}");
        assert!(schema["items"]["$ref"].as_str().unwrap().ends_with("/JobStreamMessage"), "{ok}");
    }

    #[test]
    fn downloads_document_ranges_and_signed_streams_need_no_credentials() {
        let doc = document();
        let download = &doc["paths"]["/api/v1/files/{id}/download"]["get"];
        assert!(download["responses"]["206"].is_object(), "{download}");
        assert!(download["parameters"].as_array().unwrap().iter().any(|p| p["name"] == "Range"), "{download}");
        let stream = &doc["paths"]["/api/v1/files/{id}/stream"]["get"];
        assert!(stream.get("security").is_none(), "{stream}");
        let zip = &doc["paths"]["/api/v1/jobs/{id}/zip"]["get"]["responses"]["200"]["content"];
        assert!(zip["application/zip"].is_object(), "{zip}");
    }

    #[test]
    fn errors_are_documented_with_the_error_body() {
        let doc = document();
        let default = &doc["paths"]["/api/v1/jobs/{id}"]["get"]["responses"]["default"];
        let schema = default["content"]["application/json; charset=utf-8"]["schema"]["$ref"].as_str().unwrap();
        assert!(schema.ends_with("/ErrorBody"), "{schema}");
    }
}
