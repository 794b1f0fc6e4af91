//! Which endpoint answers a path: the API (`/api/...` and `/metrics`) or the console (everything
//! else), under the configured base path or at the root.

use poem::http::{StatusCode, Uri};
use poem::{Endpoint, IntoResponse, Request, Response};

/// The console of [`crate::app`]: every path outside the API is not found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NoConsole;

impl Endpoint for NoConsole {
    type Output = Response;

    async fn call(&self, _req: Request) -> poem::Result<Response> {
        Ok(StatusCode::NOT_FOUND.into_response())
    }
}

/// See the module docs.
#[derive(Debug)]
pub(crate) struct Mount<A, C> {
    base_path: String,
    /// One more prefix the API answers (the qBittorrent-compatible API's), when it is not
    /// under `/api/` already.
    api_path: Option<String>,
    api: A,
    console: C,
}

impl<A, C> Mount<A, C> {
    /// `base_path` is normalised (empty, or `/x` without a trailing `/`).
    pub(crate) fn new(base_path: String, api: A, console: C) -> Self {
        Self { base_path, api_path: None, api, console }
    }

    /// The same mount, also sending paths under `path` (normalised like `base_path`) to the API.
    pub(crate) fn with_api_path(mut self, path: Option<String>) -> Self {
        self.api_path = path;
        self
    }

    fn is_api(&self, path: &str) -> bool {
        is_api(path) || self.api_path.as_deref().is_some_and(|prefix| strip_base(path, prefix).is_some())
    }
}

/// `path` with `base` taken off its front, when it starts with it as whole segments.
fn strip_base<'a>(path: &'a str, base: &str) -> Option<&'a str> {
    if base.is_empty() {
        return None;
    }
    let rest = path.strip_prefix(base)?;
    if rest.is_empty() {
        Some("/")
    } else if rest.starts_with('/') {
        Some(rest)
    } else {
        None
    }
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path == "/metrics"
}

impl<A: Endpoint, C: Endpoint> Endpoint for Mount<A, C> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> poem::Result<Response> {
        if let Some(rest) = strip_base(req.uri().path(), &self.base_path) {
            let target = match req.uri().query() {
                Some(query) => format!("{rest}?{query}"),
                None => rest.to_owned(),
            };
            let mut parts = req.uri().clone().into_parts();
            parts.path_and_query = target.parse().ok();
            if let Ok(uri) = Uri::from_parts(parts) {
                *req.uri_mut() = uri;
            }
        }
        if self.is_api(req.uri().path()) {
            self.api.call(req).await.map(IntoResponse::into_response)
        } else {
            self.console.call(req).await.map(IntoResponse::into_response)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_path_comes_off_whole_segments_only() {
        assert_eq!(strip_base("/ts/api/v1/jobs", "/ts"), Some("/api/v1/jobs"));
        assert_eq!(strip_base("/ts", "/ts"), Some("/"));
        assert_eq!(strip_base("/ts/", "/ts"), Some("/"));
        assert_eq!(strip_base("/tsx/jobs", "/ts"), None);
        assert_eq!(strip_base("/api/v1/jobs", "/ts"), None);
        assert_eq!(strip_base("/api/v1/jobs", ""), None);
    }

    #[test]
    fn api_paths_are_the_apis() {
        assert!(is_api("/api/v1/jobs") && is_api("/api"));
        assert!(!is_api("/apis") && !is_api("/") && !is_api("/jobs/1"));
    }
}
