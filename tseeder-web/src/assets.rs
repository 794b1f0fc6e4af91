//! The stylesheet and the script, embedded in the binary and served under a name that carries a
//! hash of their content, so browsers may cache them for good.

use std::sync::LazyLock;

use poem::http::{StatusCode, header};
use poem::web::Path;
use poem::{IntoResponse, Response, handler};
use sha2::{Digest, Sha256};

const CSS: &str = include_str!("../assets/app.css");
const JS: &str = include_str!("../assets/app.js");
const ADMIN_JS: &str = include_str!("../assets/admin.js");

/// One embedded file and the name it is served under.
struct Asset {
    name: String,
    body: &'static str,
    content_type: &'static str,
}

fn asset(stem: &str, ext: &str, body: &'static str, content_type: &'static str) -> Asset {
    let hash = hex::encode(&Sha256::digest(body.as_bytes())[..6]);
    Asset { name: format!("{stem}-{hash}.{ext}"), body, content_type }
}

static ASSETS: LazyLock<[Asset; 3]> = LazyLock::new(|| {
    [
        asset("app", "css", CSS, "text/css; charset=utf-8"),
        asset("app", "js", JS, "text/javascript; charset=utf-8"),
        asset("admin", "js", ADMIN_JS, "text/javascript; charset=utf-8"),
    ]
});

/// The stylesheet's file name under `/static/`.
pub(crate) fn css_name() -> &'static str {
    &ASSETS[0].name
}

/// The script's file name under `/static/`.
pub(crate) fn js_name() -> &'static str {
    &ASSETS[1].name
}

/// The admin pages' script's file name under `/static/`.
pub(crate) fn admin_js_name() -> &'static str {
    &ASSETS[2].name
}

/// `GET /static/{name}`: an embedded file, cached for a year (its name changes with it).
#[handler]
pub(crate) fn serve(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(asset) => Response::builder()
            .content_type(asset.content_type)
            .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
            .body(asset.body),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_a_content_hash() {
        assert!(css_name().starts_with("app-") && css_name().ends_with(".css"), "{}", css_name());
        assert!(js_name().ends_with(".js"));
        assert_ne!(css_name(), js_name());
    }
}
