//! Generates the client from the checked-in OpenAPI document, `openapi/openapi.json` at the
//! root of the workspace, on every build where it changed: the client cannot fall behind the
//! spec, and the spec cannot fall behind the server (its drift test sees to that).
//!
//! One adjustment is made to the document before generation, in [`sendable_bodies_only`].

use std::path::PathBuf;
use std::{env, fs};

use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};
use serde_json::Value;

fn main() {
    let spec_path =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo")).join("../openapi/openapi.json");
    println!("cargo::rerun-if-changed={}", spec_path.display());
    let text = fs::read_to_string(&spec_path).unwrap_or_else(|e| panic!("reading {}: {e}", spec_path.display()));
    let mut document: Value = serde_json::from_str(&text).expect("openapi.json is JSON");
    sendable_bodies_only(&mut document);
    let spec: openapiv3::OpenAPI = serde_json::from_value(document).expect("openapi.json is an OpenAPI 3.0 document");

    let mut settings = GenerationSettings::new();
    settings.with_interface(InterfaceStyle::Builder).with_tag(TagStyle::Merged);
    let tokens = Generator::new(&settings).generate_tokens(&spec).expect("progenitor generates the client");
    let file: syn::File = syn::parse2(tokens).expect("the generated client parses as Rust");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join("tseeder_api.rs");
    fs::write(&out, prettyplease::unparse(&file)).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}

/// Media types of a request body that progenitor can send: JSON, form-urlencoded, raw bytes and
/// plain text. It has no `multipart/form-data`.
const SENDABLE: [&str; 5] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
    "text/x-markdown",
];

/// Keeps, in each request body that offers several media types, only those progenitor can
/// send. progenitor accepts one media type per request body, and none that is multipart;
/// `POST /api/v1/jobs` takes a magnet as JSON or a `.torrent` as multipart, so the generated
/// `create_job` sends the JSON form (a `.torrent` upload is a plain multipart request: see the
/// README). A body left with no sendable media type is kept as it is, and generation fails on it.
fn sendable_bodies_only(document: &mut Value) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for operation in paths.values_mut().filter_map(Value::as_object_mut).flat_map(|item| item.values_mut()) {
        let Some(content) = operation.pointer_mut("/requestBody/content").and_then(Value::as_object_mut) else {
            continue;
        };
        let sendable = |media_type: &str| {
            let essence = media_type.split(';').next().unwrap_or_default().trim();
            SENDABLE.contains(&essence)
        };
        if content.len() > 1 && content.keys().any(|k| sendable(k)) {
            content.retain(|media_type, _| sendable(media_type));
        }
    }
}
