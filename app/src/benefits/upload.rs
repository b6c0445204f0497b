//! «Сохранить» of «Добавить документ» in the browser: the chosen file is checked as the browser
//! can (type by name, size) and sent as multipart to the upload route, which checks it again by
//! content. The answer is the document or the `ApiError` the route wrote.

use leptos::html::Input;
use leptos::prelude::*;

use super::catalogue::RequiredDocument;
use super::documents::{DocumentView, UploadTarget};
use crate::api::{ApiError, FieldError};

/// Picks the input's file, checks it, and sends it; the outcome goes to `done`.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn pick_and_send(
    input: NodeRef<Input>,
    field: &str,
    target: UploadTarget,
    requirement: RequiredDocument,
    errors: RwSignal<Vec<FieldError>>,
    busy: RwSignal<bool>,
    done: Callback<Result<DocumentView, ApiError>>,
) {
    #[cfg(feature = "hydrate")]
    {
        let refuse = |error: FieldError| {
            errors.update(|all| {
                all.retain(|e| e.field != error.field);
                all.push(error);
            });
        };
        let Some(file) = input.get().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
            refuse(FieldError::new(field, "file.missing", "Выберите файл"));
            return;
        };
        if let Err(refused) =
            super::documents::check_choice(field, &file.name(), file.size() as u64)
        {
            refuse(refused);
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = send(target, requirement, file).await;
            busy.set(false);
            done.run(answer);
        });
    }
}

#[cfg(feature = "hydrate")]
async fn send(
    target: UploadTarget,
    requirement: RequiredDocument,
    file: web_sys::File,
) -> Result<DocumentView, ApiError> {
    use super::documents::{UPLOAD_PATH, fields};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let transport = |e: wasm_bindgen::JsValue| ApiError::Transport(format!("{e:?}"));
    let form = web_sys::FormData::new().map_err(transport)?;
    let (name, value) = target.field();
    form.append_with_str(name, &value).map_err(transport)?;
    form.append_with_str(fields::REQUIREMENT, requirement.code())
        .map_err(transport)?;
    form.append_with_blob_and_filename(fields::FILE, &file, &file.name())
        .map_err(transport)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&form);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let window = web_sys::window().ok_or_else(|| ApiError::Transport("no window".into()))?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(UPLOAD_PATH, &init))
            .await
            .map_err(transport)?
            .dyn_into()
            .map_err(transport)?;
    let text = JsFuture::from(response.text().map_err(transport)?)
        .await
        .map_err(transport)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        serde_json::from_str(&text).map_err(|e| ApiError::Transport(e.to_string()))
    } else {
        Err(serde_json::from_str(&text).unwrap_or(ApiError::Unavailable))
    }
}
