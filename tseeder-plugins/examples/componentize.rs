//! Turns a core WebAssembly module that carries its component type (the
//! `*_component_type.o` that `wit-bindgen c` generates, linked in) into a component, as
//! `wasm-tools component new` would, with the `wit-component` crate the host is built with.
//! Used by `plugins/build.sh` for the C examples.
//!
//! ```sh
//! cargo run -p tseeder-plugins --features test-util --example componentize -- core.wasm plugin.wasm
//! ```

use anyhow::Context as _;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        anyhow::bail!("usage: componentize CORE.wasm OUT.wasm");
    };
    let module = std::fs::read(input).with_context(|| format!("cannot read {input}"))?;
    let component = wit_component::ComponentEncoder::default()
        .module(&module)
        .and_then(|encoder| encoder.validate(true).encode())
        .with_context(|| format!("{input} is not a core module with a tseeder:policy component type"))?;
    std::fs::write(output, component).with_context(|| format!("cannot write {output}"))?;
    Ok(())
}
