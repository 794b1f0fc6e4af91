//! The checked-in OpenAPI document, `openapi/openapi.json`, is what the code serves.
//!
//! It lives in this crate's tests, not the end-to-end suite, because the generated Rust client
//! is built from that file: regenerating it must not need the client to build first.

#[test]
fn openapi_spec_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    let spec = tseeder_http::openapi::spec();
    if std::env::var_os("TSEEDER_BLESS").is_some() {
        std::fs::write(&path, &spec).expect("write openapi.json");
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == spec,
        "openapi/openapi.json is stale; regenerate it with:\n  TSEEDER_BLESS=1 cargo test -p tseeder-http --test spec_file"
    );
}
