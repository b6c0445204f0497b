//! The browser entry point: wasm-bindgen calls `hydrate` once the bundle has loaded, and Leptos
//! takes over the HTML the server rendered.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
