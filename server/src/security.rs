//! Security headers on every response, and refusal of cross-site writes.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::CspNonce;
use app::api::request::has_session_cookie;

/// What the CSP allows besides the per-request nonce.
#[derive(Clone, Debug, Default)]
pub struct CspSettings {
    /// cargo-leptos' live-reload WebSocket, in watch mode only.
    pub live_reload: bool,
    /// `Strict-Transport-Security`: when the public address is https.
    pub hsts: bool,
}

/// A year, and for subdomains too: once a browser has seen the portal over TLS it never tries
/// plain HTTP, where a session cookie could be read or planted.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The policy: scripts only with this response's nonce (and what they load, `strict-dynamic`),
/// WebAssembly compilation allowed, everything else from our own origin, no framing.
pub fn content_security_policy(nonce: &str, settings: &CspSettings) -> String {
    let connect = if settings.live_reload {
        "'self' ws:"
    } else {
        "'self'"
    };
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src {connect}; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Marks a response (a document the officer's page shows beside the application) that our own
/// pages may frame; it runs no script. Everything else may be framed by no one.
#[derive(Debug, Clone, Copy)]
pub struct FramedBySameOrigin;

/// The policy of a framed document: it loads nothing and only our own pages may frame it.
pub const FRAMED_DOCUMENT_POLICY: &str =
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";

/// Generates the nonce, hands it to the renderer through the request's extensions and sets the
/// security headers on the response (a handler may not loosen them, beyond
/// [`FramedBySameOrigin`]).
pub async fn security_headers(
    State(settings): State<CspSettings>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = leptos::nonce::Nonce::new().to_string();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let signed_in = has_session_cookie(req.headers());
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    // Whatever is answered to someone signed in may be theirs alone: no cache may keep it.
    // (Responses that chose their own caching, like the hashed bundle, keep it.)
    if signed_in && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if settings.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    let framed = res.extensions().get::<FramedBySameOrigin>().is_some();
    let headers = res.headers_mut();
    if framed {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(FRAMED_DOCUMENT_POLICY),
        );
    } else if let Ok(csp) = HeaderValue::from_str(&content_security_policy(&nonce, &settings)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static(if framed { "SAMEORIGIN" } else { "DENY" }),
    );
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    res
}

/// Server functions are POST endpoints a browser would also send from another site's form.
/// Refuse any request that changes state unless the browser says it comes from our own pages.
/// Clients that are not browsers send neither header and are not a CSRF vector.
pub async fn refuse_cross_site_writes(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || is_same_site(req.headers())
    {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site request");
        (
            StatusCode::FORBIDDEN,
            Body::from("cross-site request refused"),
        )
            .into_response()
    }
}

fn is_same_site(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return matches!(site, "same-origin" | "none");
    }
    match (text(header::ORIGIN), text(header::HOST)) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority == host),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn same_site_requests_pass_and_cross_site_ones_do_not() {
        assert!(is_same_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(is_same_site(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!is_same_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!is_same_site(&headers(&[
            ("origin", "null"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(is_same_site(&headers(&[])));
    }

    #[test]
    fn the_policy_allows_wasm_and_the_nonce_and_nothing_unsafe() {
        let csp = content_security_policy("abc", &CspSettings::default());
        assert!(csp.contains("'nonce-abc'"));
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("'unsafe-eval'"));
    }
}
