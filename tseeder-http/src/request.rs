//! Per-request context: the request id and where the request came from.
//!
//! The outermost layer ([`crate::envelope`]) creates a [`RequestContext`] for every request,
//! stores it in the request's extensions and runs the rest of the request inside a task-local
//! scope holding the id, so an error rendered anywhere below carries the same id as the
//! `X-Request-Id` header.

use std::net::IpAddr;

use poem::web::RemoteAddr;
use poem::{FromRequest, Request, RequestBody};
use tseeder_core::services::RequestMeta;
use uuid::Uuid;

tokio::task_local! {
    static REQUEST_ID: Uuid;
}

/// The longest user agent kept for audit entries.
const MAX_USER_AGENT_CHARS: usize = 512;

/// Identity and origin of one request.
#[derive(Debug, Clone)]
pub(crate) struct RequestContext {
    /// Random per request; sent back as `X-Request-Id` and in error bodies.
    pub(crate) id: Uuid,
    /// Client address and user agent, for rate limits and audit entries.
    pub(crate) meta: RequestMeta,
    /// The request target (path and query) as received, before routing rewrote it; agent
    /// request signatures cover it.
    pub(crate) target: String,
}

impl RequestContext {
    /// A fresh context for `req`.
    pub(crate) fn new(req: &Request, trust_proxy_headers: bool) -> Self {
        let uri = req.uri();
        let target = uri.path_and_query().map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned());
        Self { id: Uuid::new_v4(), meta: client_meta(req, trust_proxy_headers), target }
    }
}

/// Runs `fut` with `id` as the current request id.
pub(crate) async fn with_request_id<F: Future>(id: Uuid, fut: F) -> F::Output {
    REQUEST_ID.scope(id, fut).await
}

/// The id of the request being handled, if any.
pub(crate) fn current_request_id() -> Option<Uuid> {
    REQUEST_ID.try_with(|id| *id).ok()
}

/// The client's address and user agent. With `trust_proxy_headers`, the address is the last
/// entry of `X-Forwarded-For` (the one the trusted proxy appended; entries before it are
/// whatever the client sent); otherwise, or when the header is missing or garbled, the peer
/// address of the connection.
pub(crate) fn client_meta(req: &Request, trust_proxy_headers: bool) -> RequestMeta {
    let forwarded = if trust_proxy_headers { req.header("x-forwarded-for") } else { None };
    resolve_client(forwarded, peer_ip(req.remote_addr()), req.header("user-agent"))
}

fn resolve_client(forwarded_for: Option<&str>, peer: Option<IpAddr>, user_agent: Option<&str>) -> RequestMeta {
    let forwarded = forwarded_for
        .and_then(|value| value.rsplit(',').next())
        .and_then(|last| last.trim().parse::<IpAddr>().ok())
        .map(|ip| ip.to_canonical());
    let ip = forwarded.or(peer).map(|ip| ip.to_string());
    let user_agent = user_agent.map(|ua| ua.chars().take(MAX_USER_AGENT_CHARS).collect());
    RequestMeta { ip, user_agent }
}

fn peer_ip(addr: &RemoteAddr) -> Option<IpAddr> {
    addr.as_socket_addr().map(|sa| sa.ip().to_canonical())
}

/// Handler extractor for the request's [`RequestMeta`].
#[derive(Debug, Clone)]
pub(crate) struct Meta(pub(crate) RequestMeta);

impl<'a> FromRequest<'a> for Meta {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Ok(Self(req.extensions().get::<RequestContext>().map(|c| c.meta.clone()).unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer() -> Option<IpAddr> {
        "10.0.0.2".parse().ok()
    }

    #[test]
    fn the_peer_address_and_user_agent_are_kept() {
        let meta = resolve_client(None, peer(), Some("curl/8"));
        assert_eq!(meta.ip.as_deref(), Some("10.0.0.2"));
        assert_eq!(meta.user_agent.as_deref(), Some("curl/8"));
    }

    #[test]
    fn a_forwarded_header_gives_its_last_entry() {
        let meta = resolve_client(Some("6.6.6.6, 1.2.3.4"), peer(), None);
        assert_eq!(meta.ip.as_deref(), Some("1.2.3.4"));
    }

    #[test]
    fn a_garbled_forwarded_header_falls_back_to_the_peer() {
        assert_eq!(resolve_client(Some("nonsense"), peer(), None).ip.as_deref(), Some("10.0.0.2"));
        assert_eq!(resolve_client(Some(""), peer(), None).ip.as_deref(), Some("10.0.0.2"));
    }

    #[test]
    fn long_user_agents_are_cut() {
        let ua = "x".repeat(2000);
        assert_eq!(resolve_client(None, None, Some(&ua)).user_agent.unwrap().len(), MAX_USER_AGENT_CHARS);
    }

    #[tokio::test]
    async fn the_request_id_is_visible_inside_its_scope_only() {
        let id = Uuid::new_v4();
        assert_eq!(with_request_id(id, async { current_request_id() }).await, Some(id));
        assert_eq!(current_request_id(), None);
    }
}
