//! The browser entry point: wasm-bindgen calls `hydrate` once the bundle has loaded, and Leptos
//! takes over the HTML the server rendered. Lazily: a page opened directly on a lazy route waits
//! for its chunk before it hydrates.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
