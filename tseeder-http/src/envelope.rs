//! The outermost layer, wrapped around every route (API, spec, docs):
//!
//! 1. gives the request an id and a [`RequestContext`] (client address, user agent);
//! 2. caps the request body at [`MAX_BODY_BYTES`], with or without `Content-Length`;
//! 3. turns every error, from any layer, into the one JSON error body carrying that id;
//! 4. adds `X-Request-Id` and the security headers to every response.
//!
//! Doing this once, outside poem-openapi, is what makes the error shape uniform: parse errors,
//! unknown routes and wrong methods never reach a handler, so per-operation handlers could not
//! cover them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;
use poem::http::{HeaderValue, header};
use poem::{Body, Endpoint, IntoResponse, Request, Response};
use tracing::Instrument;
use tseeder_core::domain::TorrentMeta;

use crate::error::ApiError;
use crate::metrics::RequestMetrics;
use crate::request::{RequestContext, with_request_id};

/// Largest accepted request body: a maximal `.torrent` file plus room for the multipart framing
/// and the other form fields.
pub(crate) const MAX_BODY_BYTES: u64 = TorrentMeta::MAX_BYTES as u64 + 64 * 1024;

/// Header carrying the request id on every response.
pub(crate) const REQUEST_ID_HEADER: &str = "x-request-id";

/// Headers set on every response.
const SECURITY_HEADERS: [(&str, &str); 3] =
    [("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"), ("referrer-policy", "no-referrer")];

/// See the module docs.
#[derive(Debug)]
pub(crate) struct Envelope<E> {
    inner: E,
    trust_proxy_headers: bool,
    methods: Arc<MethodTable>,
    metrics: Option<Arc<RequestMetrics>>,
}

impl<E> Envelope<E> {
    pub(crate) fn new(inner: E, trust_proxy_headers: bool, methods: MethodTable) -> Self {
        Self { inner, trust_proxy_headers, methods: Arc::new(methods), metrics: None }
    }

    /// The same layer, recording every answered request in `metrics`.
    pub(crate) fn with_metrics(mut self, metrics: Arc<RequestMetrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }
}

/// The methods each path of the API answers, read from its OpenAPI document: what a 405's
/// `Allow` header lists.
#[derive(Debug, Default, Clone)]
pub(crate) struct MethodTable {
    /// Path templates split into segments (`{id}` matches any one segment), with their methods.
    paths: Vec<(Vec<String>, Vec<String>)>,
    /// Each template as a metrics label (`/api/v1/jobs/:id`), in the order of `paths`.
    labels: Vec<String>,
}

impl MethodTable {
    /// The table of an OpenAPI document (JSON); empty if it cannot be read.
    pub(crate) fn from_spec(spec: &str) -> Self {
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(spec) else { return Self::default() };
        let Some(paths) = doc["paths"].as_object() else { return Self::default() };
        let paths = paths
            .iter()
            .map(|(path, ops)| {
                let segments = path.split('/').map(str::to_owned).collect();
                let mut methods: Vec<String> =
                    ops.as_object().map(|ops| ops.keys().map(|m| m.to_ascii_uppercase()).collect()).unwrap_or_default();
                methods.sort();
                (segments, methods)
            })
            .collect::<Vec<(Vec<String>, Vec<String>)>>();
        // `:id` rather than the spec's `{id}`: braces inside label values trip up some
        // exposition-format readers.
        let labels = paths.iter().map(|(segments, _)| segments.join("/").replace('{', ":").replace('}', "")).collect();
        Self { paths, labels }
    }

    /// The index of the entry whose template `path` matches.
    fn matching(&self, path: &str) -> Option<usize> {
        let segments_of_path = path.split('/').count();
        self.paths.iter().position(|(segments, _)| {
            segments.len() == segments_of_path
                && segments.iter().zip(path.split('/')).all(|(s, w)| s == w || (s.starts_with('{') && !w.is_empty()))
        })
    }

    /// The metrics label of the template `path` matches (`/api/v1/jobs/:id`), if any.
    pub(crate) fn label(&self, path: &str) -> Option<&str> {
        self.matching(path).and_then(|i| self.labels.get(i)).map(String::as_str)
    }

    /// The methods `path` answers (`HEAD` with `GET`), joined for an `Allow` header; `None` for
    /// an unknown path.
    pub(crate) fn allow(&self, path: &str) -> Option<String> {
        let (_, methods) = self.paths.get(self.matching(path)?)?;
        let mut methods = methods.clone();
        if methods.iter().any(|m| m == "GET") {
            methods.push("HEAD".into());
        }
        Some(methods.join(", "))
    }
}

impl<E: Endpoint> Envelope<E> {
    async fn handle(&self, req: Request, id: uuid::Uuid) -> Response {
        // A `Uri` clone shares its bytes: no copy of the path on every request for the rare 405.
        let uri = req.uri().clone();
        let mut resp = self.respond(req, id).await;
        if resp.status() == poem::http::StatusCode::METHOD_NOT_ALLOWED
            && let Some(value) = self.methods.allow(uri.path()).and_then(|a| HeaderValue::from_str(&a).ok())
        {
            resp.headers_mut().insert(header::ALLOW, value);
        }
        resp
    }

    async fn respond(&self, mut req: Request, id: uuid::Uuid) -> Response {
        let overflow = Arc::new(AtomicBool::new(false));
        match content_length(&req) {
            Some(len) if len > MAX_BODY_BYTES => return too_large().to_response(id),
            // hyper enforces a declared length, so only bodies without one need counting.
            Some(_) => {}
            None => limit_body(&mut req, Arc::clone(&overflow)),
        }
        let result = self.inner.call(req).await;
        if overflow.load(Ordering::Relaxed) {
            // Whatever the handler made of the truncated body, the real problem is its size.
            return too_large().to_response(id);
        }
        match result {
            Ok(resp) => {
                let resp = resp.into_response();
                let status = resp.status();
                // The console answers its errors with pages of its own, and the qBittorrent-compatible
                // API with qBittorrent's plain text.
                let verbatim = resp.extensions().get::<crate::qbittorrent::Verbatim>().is_some();
                if (status.is_client_error() || status.is_server_error())
                    && !verbatim
                    && !is_json(&resp)
                    && !is_html(&resp)
                {
                    ApiError::for_status(status).to_response(id)
                } else {
                    resp
                }
            }
            Err(err) => ApiError::from_poem(&err).to_response(id),
        }
    }
}

impl<E: Endpoint> Endpoint for Envelope<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> poem::Result<Response> {
        let started = std::time::Instant::now();
        // Kept only when metrics are on; a `Uri` clone shares its bytes.
        let target = self.metrics.as_ref().map(|_| (req.uri().clone(), req.method().clone()));
        let context = RequestContext::new(&req, self.trust_proxy_headers);
        let id = context.id;
        let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path());
        req.extensions_mut().insert(context);
        let mut resp = with_request_id(id, self.handle(req, id)).instrument(span.clone()).await;
        span.in_scope(|| tracing::debug!(status = resp.status().as_u16(), "request finished"));
        let headers = resp.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
            headers.insert(REQUEST_ID_HEADER, value);
        }
        for (name, value) in SECURITY_HEADERS {
            headers.insert(name, HeaderValue::from_static(value));
        }
        if let (Some(metrics), Some((uri, method))) = (&self.metrics, target) {
            metrics.record(uri.path(), &method, resp.status(), started.elapsed());
        }
        Ok(resp)
    }
}

fn too_large() -> ApiError {
    ApiError::payload_too_large(format!("the request body is larger than {MAX_BODY_BYTES} bytes"))
}

fn content_length(req: &Request) -> Option<u64> {
    req.headers().get(header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

fn is_json(resp: &Response) -> bool {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"))
}

fn is_html(resp: &Response) -> bool {
    resp.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("text/html"))
}

/// Replaces the body with one that fails, and raises `overflow`, once more than
/// [`MAX_BODY_BYTES`] have been read.
fn limit_body(req: &mut Request, overflow: Arc<AtomicBool>) {
    let mut seen: u64 = 0;
    let stream = req.take_body().into_bytes_stream().map(move |chunk| {
        let chunk = chunk?;
        seen = seen.saturating_add(chunk.len() as u64);
        if seen > MAX_BODY_BYTES {
            overflow.store(true, Ordering::Relaxed);
            return Err(std::io::Error::other("request body too large"));
        }
        Ok(chunk)
    });
    req.set_body(Body::from_bytes_stream(stream));
}

#[cfg(test)]
mod tests {
    use poem::test::TestClient;
    use poem::{Route, handler};

    use poem::http::StatusCode;

    use super::*;

    #[handler]
    fn ok() -> &'static str {
        "ok"
    }

    #[handler]
    fn teapot() -> StatusCode {
        StatusCode::IM_A_TEAPOT
    }

    #[handler]
    async fn echo_len(body: Body) -> poem::Result<String> {
        Ok(body.into_vec().await?.len().to_string())
    }

    fn client() -> TestClient<Envelope<Route>> {
        let route = Route::new().at("/ok", ok).at("/teapot", teapot).at("/echo", poem::post(echo_len));
        TestClient::new(Envelope::new(route, false, MethodTable::default()))
    }

    #[tokio::test]
    async fn every_response_carries_the_request_id_and_security_headers() {
        let resp = client().get("/ok").send().await;
        resp.assert_status_is_ok();
        resp.assert_header_exist(REQUEST_ID_HEADER);
        resp.assert_header("x-content-type-options", "nosniff");
        resp.assert_header("x-frame-options", "DENY");
        resp.assert_header("referrer-policy", "no-referrer");
    }

    #[tokio::test]
    async fn unknown_routes_get_the_json_error_body_with_the_same_id() {
        let resp = client().get("/nope").send().await;
        resp.assert_status(StatusCode::NOT_FOUND);
        let id = resp.0.headers().get(REQUEST_ID_HEADER).unwrap().to_str().unwrap().to_owned();
        let json = resp.json().await;
        let error = json.value().object().get("error").object();
        error.get("code").assert_string("not_found");
        error.get("requestId").assert_string(&id);
    }

    #[tokio::test]
    async fn bare_error_statuses_are_wrapped() {
        let resp = client().get("/teapot").send().await;
        resp.assert_status(StatusCode::IM_A_TEAPOT);
        resp.assert_content_type("application/json; charset=utf-8");
        resp.json().await.value().object().get("error").object().get("code").assert_string("invalid_request");
    }

    #[tokio::test]
    async fn declared_oversized_bodies_are_refused_before_reading() {
        let resp = client()
            .post("/echo")
            .header(header::CONTENT_LENGTH, (MAX_BODY_BYTES + 1).to_string())
            .body(Body::empty())
            .send()
            .await;
        resp.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
        resp.json().await.value().object().get("error").object().get("code").assert_string("payload_too_large");
    }

    #[tokio::test]
    async fn streamed_oversized_bodies_are_refused() {
        let chunk = bytes_of(1024 * 1024);
        let chunks = (0..12).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
        let body = Body::from_bytes_stream(futures::stream::iter(chunks));
        let resp = client().post("/echo").body(body).send().await;
        resp.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[tokio::test]
    async fn streamed_bodies_within_the_limit_pass() {
        let chunk = bytes_of(1024);
        let chunks = (0..3).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
        let resp = client().post("/echo").body(Body::from_bytes_stream(futures::stream::iter(chunks))).send().await;
        resp.assert_status_is_ok();
        resp.assert_text("3072").await;
    }

    fn bytes_of(len: usize) -> Vec<u8> {
        vec![b'x'; len]
    }
}

#[cfg(test)]
mod method_table_tests {
    use super::MethodTable;

    #[test]
    fn allow_lists_the_methods_of_the_matching_template() {
        let spec = r#"{"paths": {
            "/api/v1/jobs": {"get": {}, "post": {}},
            "/api/v1/jobs/{id}": {"get": {}, "patch": {}, "delete": {}},
            "/api/v1/jobs/{id}/cancel": {"post": {}}
        }}"#;
        let table = MethodTable::from_spec(spec);
        assert_eq!(table.allow("/api/v1/jobs").as_deref(), Some("GET, POST, HEAD"));
        assert_eq!(table.allow("/api/v1/jobs/abc").as_deref(), Some("DELETE, GET, PATCH, HEAD"));
        assert_eq!(table.allow("/api/v1/jobs/abc/cancel").as_deref(), Some("POST"));
        assert_eq!(table.allow("/api/v1/jobs//cancel"), None);
        assert_eq!(table.allow("/api/v1/nothing"), None);
        assert!(MethodTable::from_spec("not json").allow("/api/v1/jobs").is_none());
    }
}
