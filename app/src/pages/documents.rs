use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::Card;

#[component]
pub fn DocumentsPage() -> impl IntoView {
    view! {
        <Title text="Документы — Госуслуги"/>
        <h1>"Документы"</h1>
        <div class="cards">
            <Card title="Семья и дети" href="/documents/family">
                <p>"Свидетельства о рождении, СНИЛС, полисы ОМС и ИНН детей, учётные записи детей."</p>
            </Card>
        </div>
    }
}
