//! The browser entry point: wasm-bindgen calls `hydrate` once the bundle has loaded, and Leptos
//! takes over the HTML the server rendered (`app::hydrate`: a page opened directly on a lazy route
//! waits for its chunk before it hydrates).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate();
}

/// Room for the bundle splitter to move each page's texts into that page's chunk. It lays the
/// read-only data out again, chunk by chunk, and aligning each chunk's part costs a few bytes;
/// when the result is longer than the original segment it gives up and keeps all of the data in
/// the main module. Nothing reads this, so the split build emits it in no module at all.
#[used]
static SPLIT_SLACK: [u8; 16384] = [0xA5; 16384];
