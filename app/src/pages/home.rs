use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::Card;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Семья и дети — Госуслуги"/>
        <h1>"Госуслуги для семьи и детей"</h1>
        <p class="lead">
            "Добавьте сведения о детях, создайте ребёнку учётную запись, оформите льготы и следите \
             за заявлениями до решения — без визита в ведомство."
        </p>
        <div class="cards">
            <Card title="Семья и дети" href="/documents/family">
                <p>"Сведения о детях, проверка свидетельства о рождении и СНИЛС, учётные записи детей."</p>
            </Card>
            <Card title="Льготы" href="/benefits">
                <p>"Пособия и выплаты семьям с детьми: кто может получить и как подать заявление."</p>
            </Card>
            <Card title="Заявки" href="/applications">
                <p>"Поданные заявления, их статусы и решения ведомств."</p>
            </Card>
            <Card title="Помощь" href="/help">
                <p>"Ответы на частые вопросы и обращение в поддержку."</p>
            </Card>
        </div>
    }
}
