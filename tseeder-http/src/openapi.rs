//! The OpenAPI document. [`crate::app`] serves the same service it describes, so the document
//! cannot drift from the routes.

use poem_openapi::{ExtraHeader, OpenApiService, ServerObject};
use serde_json::{Map, Value, json};

use crate::api::account::AccountApi;
use crate::api::admin::AdminApi;
use crate::api::admin_config::ConfigAdminApi;
use crate::api::admin_dlq::DlqAdminApi;
use crate::api::admin_users::UserAdminApi;
use crate::api::agent::AgentApi;
use crate::api::billing::BillingApi;
use crate::api::file::FileApi;
use crate::api::health::HealthApi;
use crate::api::job::JobApi;
use crate::api::observability::ObservabilityApi;
use crate::api::org::{OrgAdminApi, OrgApi};
use crate::api::plan::PlanApi;
use crate::api::policy::PolicyApi;
use crate::api::preview::PreviewApi;
use crate::api::retention::RetentionApi;
use crate::api::status::{StatusAdminApi, StatusApi};
use crate::auth::{CSRF_HEADER, ORG_HEADER};

pub(crate) type Apis = (
    HealthApi,
    AccountApi,
    JobApi,
    PreviewApi,
    FileApi,
    PlanApi,
    OrgApi,
    BillingApi,
    AdminApi,
    (ConfigAdminApi, UserAdminApi, DlqAdminApi, StatusAdminApi, ObservabilityApi, OrgAdminApi),
    PolicyApi,
    RetentionApi,
    AgentApi,
    StatusApi,
);

const DESCRIPTION: &str = "\
The tseeder API: submit torrent downloads and manage them.

Authenticate with `Authorization: Bearer <token>` (an API key `tsk_...` or a session token), or with \
the `session` cookie set by `POST /api/v1/auth/login`. Cookie requests other than GET, HEAD and \
OPTIONS must also send `X-CSRF-Token` (the `csrfToken` from login or `GET /api/v1/auth/me`). \
Remote compute agents sign their requests instead (`X-Tseeder-Timestamp` and `X-Tseeder-Signature`, \
see the `agentSignature` scheme).

Jobs, files, usage and API keys belong to organizations. A request acts in the caller's personal \
organization unless it names another of theirs with `X-Org-Slug: <slug>` (404 `org_not_found` when \
they are not a member). There owners and admins see and change every job; members see and change \
their own. An API key works only in the organization it was made in, with or without the header \
(403 `org_mismatch` when the header names another).

Billing, when the server takes payments: `GET /api/v1/billing` shows the plan of the organization \
the request acts in, and its owners and admins buy (`POST /api/v1/billing/checkout`) and manage \
(`POST /api/v1/billing/portal`) it at Stripe. Stripe delivers its events to \
`POST /api/v1/billing/webhook`, which takes no credentials: the `Stripe-Signature` header, over the \
exact body bytes, proves them. Without a payment provider every billing operation is 404 \
`billing_disabled`.

Every error has the body `{\"error\": {\"code\", \"message\", \"requestId\"}}`; branch on `code`. \
Every response carries `X-Request-Id`.";

/// The default address of `tseeder serve`; the paths carry the `/api/v1` prefix themselves.
const LOCAL_SERVER: &str = "http://127.0.0.1:8080";

/// The API service that [`crate::app`] mounts and [`spec`] describes.
pub(crate) fn service() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            HealthApi,
            AccountApi,
            JobApi,
            PreviewApi,
            FileApi,
            PlanApi,
            OrgApi,
            BillingApi,
            AdminApi,
            (ConfigAdminApi, UserAdminApi, DlqAdminApi, StatusAdminApi, ObservabilityApi, OrgAdminApi),
            PolicyApi,
            RetentionApi,
            AgentApi,
            StatusApi,
        ),
        "tseeder",
        env!("CARGO_PKG_VERSION"),
    )
    .description(DESCRIPTION)
    .server(ServerObject::new(LOCAL_SERVER).description("A local `tseeder serve` on its default address."))
    .extra_response_header::<String, _>(
        ExtraHeader::new("X-Request-Id").description("The request's id, also in error bodies as `requestId`."),
    )
}

/// The OpenAPI 3 document of the `/api/v1` API, as pretty-printed JSON. It is also served at
/// `GET /api/v1/openapi.json`.
pub fn spec() -> String {
    finish(&service().spec())
}

/// Applies to poem-openapi's document what its derives cannot say:
///
/// - A property or parameter whose type is a named schema is a plain `$ref`. poem-openapi wraps
///   the reference in `allOf` to attach the field's doc comment (or a default); OpenAPI 3.0
///   ignores siblings of `$ref`, and code generators turn such a wrapper into a new anonymous
///   type. The description stays on the referenced schema.
/// - Every state-changing operation that accepts the session cookie declares the optional
///   `X-CSRF-Token` header, which a cookie session must send (see [`crate::auth`]).
/// - Every operation that accepts a user's credentials declares the optional `X-Org-Slug`
///   header, naming the organization the request acts in (see [`crate::auth`]).
/// - Integers carry the bounds of their Rust type (`format: uint32` has `minimum: 0` and
///   `maximum: 4294967295`), which the server enforces when it parses them.
/// - A `text/event-stream` body is described one event at a time, as OpenAPI 3.0 reads it: an
///   object with `event`, `id` and `data`, whose `data` is JSON of the message schema.
///
/// The result's object keys are sorted, so the document is stable whatever order the derives
/// register things in.
pub(crate) fn finish(raw: &str) -> String {
    let mut doc: Value = serde_json::from_str(raw).expect("poem-openapi writes JSON");
    plain_refs(&mut doc);
    declare_csrf_header(&mut doc);
    declare_org_header(&mut doc);
    integer_bounds(&mut doc);
    describe_event_streams(&mut doc);
    serde_json::to_string_pretty(&doc).expect("a JSON value serializes")
}

/// Replaces `{allOf: [{$ref}, {description, default, ...}]}` with `{$ref}`, everywhere.
fn plain_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = wrapped_ref(map) {
                *map = Map::from_iter([("$ref".to_owned(), Value::String(reference))]);
                return;
            }
            map.values_mut().for_each(plain_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(plain_refs),
        _ => {}
    }
}

/// The reference inside a wrapper that adds nothing but annotations to it.
fn wrapped_ref(map: &Map<String, Value>) -> Option<String> {
    const ANNOTATIONS: [&str; 3] = ["description", "default", "title"];
    let Some(Value::Array(all_of)) = map.get("allOf") else { return None };
    let [Value::Object(target), Value::Object(extra)] = all_of.as_slice() else { return None };
    let reference = target.get("$ref")?.as_str()?;
    let only_annotations =
        |m: &Map<String, Value>, also: &str| m.keys().all(|k| k == also || ANNOTATIONS.contains(&k.as_str()));
    (target.len() == 1 && only_annotations(extra, "") && only_annotations(map, "allOf")).then(|| reference.to_owned())
}

/// Adds the range of its Rust type to every integer schema that has a `format` and no bound.
fn integer_bounds(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let range: Option<(Value, Value)> = match map.get("format").and_then(Value::as_str) {
                Some("int8") => Some((i8::MIN.into(), i8::MAX.into())),
                Some("int16") => Some((i16::MIN.into(), i16::MAX.into())),
                Some("int32") => Some((i32::MIN.into(), i32::MAX.into())),
                Some("int64") => Some((i64::MIN.into(), i64::MAX.into())),
                Some("uint8") => Some((0.into(), u8::MAX.into())),
                Some("uint16") => Some((0.into(), u16::MAX.into())),
                Some("uint32") => Some((0.into(), u32::MAX.into())),
                Some("uint64") => Some((0.into(), u64::MAX.into())),
                _ => None,
            };
            if let Some((min, max)) = range.filter(|_| map.get("type") == Some(&json!("integer"))) {
                map.entry("minimum").or_insert(min);
                map.entry("maximum").or_insert(max);
                // poem-openapi writes bounds as floats (`365.0`); an integer's are integers.
                for bound in ["minimum", "maximum"] {
                    if let Some(whole) = map[bound].as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15) {
                        // Exact: a whole number below 2^53.
                        map.insert(bound.to_owned(), json!(whole as i64));
                    }
                }
            }
            map.values_mut().for_each(integer_bounds);
        }
        Value::Array(items) => items.iter_mut().for_each(integer_bounds),
        _ => {}
    }
}

/// Replaces poem-openapi's `{type: array, format: event-stream, items: M}` schema of every
/// `text/event-stream` response with the schema of one event whose `data` is JSON of `M`.
fn describe_event_streams(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    let responses = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|ops| ops.values_mut())
        .filter_map(|op| op.get_mut("responses").and_then(Value::as_object_mut))
        .flat_map(|responses| responses.values_mut());
    for response in responses {
        let Some(schema) = response.pointer_mut("/content/text~1event-stream/schema") else { continue };
        if schema.get("format") != Some(&json!("event-stream")) {
            continue;
        }
        let message = schema["items"].take();
        *schema = json!({
            "type": "object",
            "description": "One Server-Sent Event: `event` names the message, `data` is its JSON, \
                `id` (history entries only) the entry's `seq`.",
            "required": ["data"],
            "properties": {
                "event": {"type": "string"},
                "id": {"type": "string"},
                "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": message},
                "retry": {"type": "integer", "minimum": 0},
            },
        });
    }
}

/// Adds the optional `X-CSRF-Token` header to every operation other than GET, HEAD and
/// OPTIONS that lists the `sessionCookie` scheme.
fn declare_csrf_header(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for op in paths.values_mut().filter_map(Value::as_object_mut).flat_map(|ops| ops.iter_mut()) {
        let (method, op) = op;
        if matches!(method.as_str(), "get" | "head" | "options") {
            continue;
        }
        let cookie =
            op["security"].as_array().is_some_and(|list| list.iter().any(|s| s.get("sessionCookie").is_some()));
        if !cookie {
            continue;
        }
        let param = json!({
            "name": CSRF_HEADER,
            "in": "header",
            "description": "The session's CSRF token (`csrfToken` from login or `GET /auth/me`). \
                Required when the request is authenticated by the `session` cookie; ignored with \
                `Authorization: Bearer`.",
            "required": false,
            "deprecated": false,
            "explode": true,
            "schema": {"type": "string"},
        });
        add_parameter(op, param);
    }
}

/// The grammar of an organization slug, as `tseeder_core::domain::OrgSlug` checks it.
const SLUG_PATTERN: &str = "^[a-z0-9]+(?:-[a-z0-9]+)*$";

/// Adds the optional `X-Org-Slug` header to every operation that lists the `bearerAuth` or the
/// `sessionCookie` scheme: every request with a user's credentials may name the organization it
/// acts in.
fn declare_org_header(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for op in paths.values_mut().filter_map(Value::as_object_mut).flat_map(|ops| ops.values_mut()) {
        let user = op["security"]
            .as_array()
            .is_some_and(|list| list.iter().any(|s| s.get("bearerAuth").is_some() || s.get("sessionCookie").is_some()));
        if !user {
            continue;
        }
        let param = json!({
            "name": ORG_HEADER,
            "in": "header",
            "description": "The organization the request acts in, by slug: jobs listed, submitted, \
                read and changed, usage and new API keys are that organization's. Without it, the \
                caller's personal organization; with an API key, the organization the key was made \
                in. 404 `org_not_found` unless the caller is a member (also for a value that is \
                not a slug); 403 `org_mismatch` when an API key's organization is another.",
            "required": false,
            "deprecated": false,
            "explode": true,
            "schema": {"type": "string", "minLength": 3, "maxLength": 40, "pattern": SLUG_PATTERN},
        });
        add_parameter(op, param);
    }
}

/// Appends `param` to the operation's parameters.
fn add_parameter(op: &mut Value, param: Value) {
    match op.get_mut("parameters").and_then(Value::as_array_mut) {
        Some(params) => params.push(param),
        None => {
            op.as_object_mut().map(|o| o.insert("parameters".to_owned(), Value::Array(vec![param])));
        }
    }
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
            "/api/v1/auth/verify-email",
            "/api/v1/auth/verify-email/resend",
            "/api/v1/orgs",
            "/api/v1/orgs/current",
            "/api/v1/orgs/{slug}",
            "/api/v1/orgs/{slug}/members/{userId}",
            "/api/v1/orgs/{slug}/invites/{inviteId}/resend",
            "/api/v1/orgs/invites/preview",
            "/api/v1/orgs/invites/accept",
            "/api/v1/admin/orgs",
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
    fn live_events_are_an_event_stream_described_one_event_at_a_time() {
        let doc = document();
        let ok = &doc["paths"]["/api/v1/jobs/{id}/events"]["get"]["responses"]["200"];
        let schema = &ok["content"]["text/event-stream"]["schema"];
        assert_eq!(schema["type"], "object", "{ok}");
        let data = &schema["properties"]["data"];
        assert_eq!(data["contentMediaType"], "application/json", "{ok}");
        assert!(data["contentSchema"]["$ref"].as_str().unwrap().ends_with("/JobStreamMessage"), "{ok}");
    }

    #[test]
    fn integers_carry_the_bounds_of_their_type() {
        let doc = document();
        let days = &doc["components"]["schemas"]["CreateApiKeyRequest"]["properties"]["expiresInDays"];
        assert_eq!((days["minimum"].as_f64(), days["maximum"].as_f64()), (Some(1.0), Some(365.0)), "kept: {days}");
        let files = &doc["components"]["schemas"]["CreateJobRequest"]["properties"]["files"]["items"];
        assert_eq!((&files["minimum"], &files["maximum"]), (&json!(0), &json!(u32::MAX)), "{files}");
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
    fn every_operation_documents_its_errors_with_the_error_body() {
        let doc = document();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for (method, op) in ops.as_object().unwrap() {
                let responses = &op["responses"];
                for range in ["4XX", "5XX"] {
                    let error = &responses[range];
                    let schema = error["content"]["application/json; charset=utf-8"]["schema"]["$ref"].as_str();
                    assert!(schema.is_some_and(|s| s.ends_with("/ErrorBody")), "{method} {path} {range}: {error}");
                }
                assert!(responses.get("default").is_none(), "{method} {path}: errors are 4XX and 5XX, never default");
            }
        }
    }

    /// Every `allOf` left is a real composition, never a wrapped reference.
    fn assert_no_wrapped_refs(value: &Value, at: &str) {
        match value {
            Value::Object(map) => {
                assert_eq!(wrapped_ref(map), None, "{at}: {value}");
                map.iter().for_each(|(k, v)| assert_no_wrapped_refs(v, &format!("{at}/{k}")));
            }
            Value::Array(items) => {
                items.iter().enumerate().for_each(|(i, v)| assert_no_wrapped_refs(v, &format!("{at}/{i}")))
            }
            _ => {}
        }
    }

    #[test]
    fn named_schemas_are_plain_refs() {
        let doc = document();
        assert_no_wrapped_refs(&doc, "");
        let props = &doc["components"]["schemas"]["Job"]["properties"];
        assert_eq!(props["status"], json!({"$ref": "#/components/schemas/JobStatus"}));
        let params = doc["paths"]["/api/v1/jobs"]["get"]["parameters"].as_array().unwrap();
        let sort_by = params.iter().find(|p| p["name"] == "sortBy").unwrap();
        assert_eq!(sort_by["schema"], json!({"$ref": "#/components/schemas/JobSortBy"}));
        // A real composition (the tagged folder tree) is kept.
        assert!(doc["components"]["schemas"]["FileTreeNode_FileNode"]["allOf"].is_array());
    }

    #[test]
    fn state_changing_cookie_operations_declare_the_csrf_header() {
        let doc = document();
        let has_csrf = |path: &str, method: &str| {
            doc["paths"][path][method]["parameters"].as_array().is_some_and(|ps| {
                ps.iter().any(|p| p["name"] == CSRF_HEADER && p["in"] == "header" && p["required"] == false)
            })
        };
        assert!(has_csrf("/api/v1/jobs", "post"));
        assert!(has_csrf("/api/v1/auth/me", "patch"));
        assert!(has_csrf("/api/v1/jobs/{id}", "delete"));
        assert!(!has_csrf("/api/v1/jobs", "get"), "safe methods need none");
        assert!(!has_csrf("/api/v1/auth/login", "post"), "no cookie session yet");
        assert!(!has_csrf("/api/v1/agent/heartbeat", "post"), "agents sign instead");
    }

    #[test]
    fn operations_with_user_credentials_declare_the_org_header() {
        let doc = document();
        let org_header = |path: &str, method: &str| {
            let params = doc["paths"][path][method]["parameters"].as_array().cloned().unwrap_or_default();
            params.into_iter().find(|p| p["name"] == ORG_HEADER && p["in"] == "header" && p["required"] == false)
        };
        for (path, method) in [
            ("/api/v1/jobs", "get"),
            ("/api/v1/jobs", "post"),
            ("/api/v1/jobs/{id}", "delete"),
            ("/api/v1/files/{id}/download", "get"),
            ("/api/v1/usage", "get"),
            ("/api/v1/auth/api-keys", "post"),
            ("/api/v1/orgs/current", "get"),
            ("/api/v1/admin/orgs", "get"),
        ] {
            let header = org_header(path, method).unwrap_or_else(|| panic!("{method} {path} lacks {ORG_HEADER}"));
            let schema = &header["schema"];
            assert_eq!((&schema["minLength"], &schema["maxLength"]), (&json!(3), &json!(40)), "{header}");
            assert_eq!(schema["pattern"], SLUG_PATTERN, "{header}");
        }
        for (path, method) in [
            ("/api/v1/plans", "get"),
            ("/api/v1/auth/login", "post"),
            ("/api/v1/agent/heartbeat", "post"),
            ("/api/v1/files/{id}/stream", "get"),
        ] {
            assert!(org_header(path, method).is_none(), "{method} {path} takes no user credentials");
        }
    }

    #[test]
    fn organizations_show_their_plan_only_when_there_is_one() {
        let doc = document();
        let schemas = &doc["components"]["schemas"];
        let required = |schema: &str| schemas[schema]["required"].as_array().cloned().unwrap_or_default();
        let detail = required("OrgDetail");
        for field in ["org", "members", "usage", "memberUsage"] {
            assert!(detail.contains(&json!(field)), "{field}: {detail:?}");
        }
        assert!(!detail.contains(&json!("plan")), "{detail:?}");
        let listed = required("AdminOrg");
        for field in ["activeJobs", "storageBytes"] {
            assert!(listed.contains(&json!(field)), "{field}: {listed:?}");
        }
        assert!(!listed.contains(&json!("planId")), "{listed:?}");
        let params = doc["paths"]["/api/v1/orgs/{slug}/members/{userId}"]["delete"]["parameters"].as_array().unwrap();
        let reassign = params.iter().find(|p| p["name"] == "reassignTo").expect("reassignTo");
        assert_eq!((&reassign["in"], &reassign["required"]), (&json!("query"), &json!(false)), "{reassign}");
        assert_eq!(reassign["schema"]["format"], "uuid", "{reassign}");
    }

    #[test]
    fn invite_and_verification_tokens_travel_in_bodies_only() {
        let doc = document();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            if !(path.starts_with("/api/v1/orgs") || path.starts_with("/api/v1/auth/verify-email")) {
                continue;
            }
            assert!(!path.contains("token"), "{path}");
            for (method, op) in ops.as_object().unwrap() {
                let params = op["parameters"].as_array().cloned().unwrap_or_default();
                assert!(params.iter().all(|p| p["name"] != "token"), "{method} {path}: {params:?}");
            }
        }
        let schemas = &doc["components"]["schemas"];
        let invite = schemas["OrgInvite"]["properties"].as_object().unwrap();
        assert!(invite.keys().all(|k| !k.to_lowercase().contains("token")), "{invite:?}");
        // The caller's role is absent, never null, for staff reading an organization.
        let required = schemas["OrgDetail"]["required"].as_array().cloned().unwrap_or_default();
        assert!(!required.contains(&json!("role")), "{required:?}");
    }

    #[test]
    fn the_stripe_webhook_takes_a_raw_signed_body_and_no_credentials() {
        let doc = document();
        let op = &doc["paths"]["/api/v1/billing/webhook"]["post"];
        assert!(op["security"].as_array().is_none_or(Vec::is_empty), "{op}");
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        assert!(params.iter().any(|p| p["name"] == "Stripe-Signature" && p["in"] == "header"), "{params:?}");
        assert!(params.iter().all(|p| p["name"] != CSRF_HEADER && p["name"] != ORG_HEADER), "{params:?}");
        let body = &op["requestBody"];
        assert_eq!(body["required"], true, "{body}");
        let schema = &body["content"]["application/json"]["schema"];
        assert_eq!(schema["type"], "object", "{body}");
        assert_eq!(schema["required"], json!(["id", "type", "created", "data"]), "{body}");
        for (path, method) in
            [("/api/v1/billing", "get"), ("/api/v1/billing/checkout", "post"), ("/api/v1/billing/portal", "post")]
        {
            let op = &doc["paths"][path][method];
            assert_eq!(op["tags"], json!(["Billing"]), "{method} {path}");
            assert!(op["security"].as_array().is_some_and(|s| !s.is_empty()), "{method} {path} needs credentials");
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            assert!(params.iter().any(|p| p["name"] == ORG_HEADER), "{method} {path} acts in an organization");
        }
        let status = &doc["components"]["schemas"]["Subscription"]["properties"]["status"];
        assert_eq!(status, &json!({"$ref": "#/components/schemas/SubscriptionStatus"}));
        let statuses = &doc["components"]["schemas"]["SubscriptionStatus"]["enum"];
        assert!(statuses.as_array().is_some_and(|s| s.contains(&json!("past_due"))), "{statuses}");
    }

    #[test]
    fn the_local_server_is_the_default() {
        let doc = document();
        assert_eq!(doc["servers"][0]["url"], LOCAL_SERVER);
    }

    #[test]
    fn clearing_the_default_region_with_null_is_declared() {
        let doc = document();
        let region = &doc["components"]["schemas"]["UpdateMeRequest"]["properties"]["defaultRegion"];
        assert_eq!(region["nullable"], true, "{region}");
        assert_eq!(region["maxLength"], 32, "{region}");
    }
}
