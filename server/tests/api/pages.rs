use crate::engine_tests;
use crate::helpers::TestApp;

engine_tests!(
    every_section_page_renders_with_its_heading,
    unknown_pages_answer_404,
    pages_carry_security_headers_and_a_matching_nonce,
);

const PAGES: [(&str, &str); 8] = [
    ("/", "<h1>Госуслуги для семьи и детей</h1>"),
    ("/documents", "<h1>Документы</h1>"),
    ("/documents/family", ">Семья и дети</h1>"),
    ("/benefits", ">Льготы</h1>"),
    ("/applications", ">Мои заявки</h1>"),
    ("/notifications", "<h1>Уведомления</h1>"),
    ("/help", "<h1>Помощь</h1>"),
    ("/help/question", ">Задать вопрос</h1>"),
];

async fn every_section_page_renders_with_its_heading(app: &TestApp) {
    for (path, heading) in PAGES {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains(heading), "{path} lacks {heading}");
        assert!(html.contains(r#"<html lang="ru">"#), "{path}");
        for section in [
            "Главная",
            "Документы",
            "Льготы",
            "Заявки",
            "Уведомления",
            "Помощь",
        ] {
            assert!(
                // «Уведомления» may carry the unread count after its name.
                html.contains(&format!(">{section}</a>"))
                    || html.contains(&format!(">{section}<!")),
                "{path} lacks nav link {section}"
            );
        }
    }
}

async fn unknown_pages_answer_404(app: &TestApp) {
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("Страница не найдена"));
}

async fn pages_carry_security_headers_and_a_matching_nonce(app: &TestApp) {
    let res = app.get("/").await;
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(header("referrer-policy").as_deref(), Some("same-origin"));
    let csp = header("content-security-policy").expect("CSP header");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("'wasm-unsafe-eval'"));
    assert!(!csp.contains("unsafe-inline"));
    let nonce = csp
        .split_whitespace()
        .find_map(|token| {
            token
                .strip_prefix("'nonce-")
                .and_then(|t| t.strip_suffix('\''))
        })
        .expect("nonce in CSP")
        .to_owned();
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!(r#"<script type="module" nonce="{nonce}">"#)),
        "hydration script carries the nonce"
    );
    // A fresh nonce per response.
    let again = app.get("/").await;
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce)
    );
}
