import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, waitForHydration, watchConsole } from './helpers';
import { addChild, confirmedParent, documentStatus, requestChecks, type Child } from './family-helpers';

// Families of the simulator's data set that no other journey registers, one per project: the
// benefits registry knows each parent's income as low and neither family as large.
const FAMILIES: Record<string, Child> = {
  phone: { last: 'Борисова', first: 'Мария', middle: 'Тимофеевна', sex: 'Женский', birth: '27.12.2012', certificate: 'I-МЮ 311893', issued: '15.01.2013', act: '170013775069471',
    parents: [{ last: 'Борисова', first: 'Анастасия', middle: 'Тимофеевна', birth: '27.02.1986', snils: '130-730-735 21' }] },
  desktop: { last: 'Воробьёв', first: 'Михаил', middle: 'Александрович', sex: 'Мужской', birth: '24.05.2017', certificate: 'I-КБ 085569', issued: '29.05.2017', act: '170017160031209', issuer: 'Отдел ЗАГС Вахитовского района г. Казани',
    parents: [{ last: 'Воробьёва', first: 'Елена', middle: 'Ильинична', birth: '24.08.1996', snils: '033-938-985 93' }] },
};

// «Льготы»: the catalogue from catalogue/benefits.json, searched by name, by words of the description
// and by service number, filtered by category and the child's age.
test.describe('Льготы', () => {
  test('search suggests as the parent types, filters narrow the list, a benefit page explains it', async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto('/benefits');
    await waitForHydration(page);
    const cards = page.locator('.catalogue__item');
    await expect(cards).toHaveCount(8);
    await expectNoAxeViolations(page);

    // By name, suggested while typing.
    await page.getByLabel('Поиск льготы').fill('пособ');
    const suggestions = page.getByRole('list', { name: 'Подсказки' });
    await expect(suggestions.getByRole('link', { name: 'Единое пособие на детей' })).toBeVisible();
    await expect(page.getByRole('status')).toHaveText('Найдено льгот: 2');
    // By a word of the description, and by service number.
    await page.getByLabel('Поиск льготы').fill('ипотеки');
    await expect(cards).toHaveCount(1);
    await expect(cards.first()).toContainText('Материнский (семейный) капитал');
    await page.getByLabel('Поиск льготы').fill('600105');
    await expect(cards.first()).toContainText('Компенсация родительской платы за детский сад');
    await page.getByLabel('Поиск льготы').fill('вертолёт');
    await expect(page.getByRole('status')).toHaveText('Ничего не найдено. Измените запрос или сбросьте фильтры');
    await expect(suggestions).toHaveCount(0);

    // Filters: a category, then the child's age; a wrong age is refused at its field.
    await page.getByLabel('Поиск льготы').fill('');
    await page.getByLabel('Категория').selectOption({ label: 'Питание и услуги' });
    await expect(cards).toHaveCount(1);
    await expect(cards.first()).toContainText('Бесплатное питание в школе');
    await page.getByLabel('Категория').selectOption({ label: 'Все категории' });
    await page.getByLabel('Возраст ребёнка, полных лет').fill('3');
    await expect(cards.filter({ hasText: 'Бесплатное питание в школе' })).toHaveCount(0);
    await expect(cards.filter({ hasText: 'Компенсация родительской платы за детский сад' })).toHaveCount(1);
    await page.getByLabel('Возраст ребёнка, полных лет').fill('25');
    await expect(page.locator('#age-error')).toContainText('Укажите возраст ребёнка числом полных лет от 0 до 17');
    await expect(cards).toHaveCount(8);
    await expectNoAxeViolations(page);

    // A suggestion opens the benefit's page.
    await page.getByLabel('Возраст ребёнка, полных лет').fill('');
    await page.getByLabel('Поиск льготы').fill('едино');
    await suggestions.getByRole('link', { name: 'Единое пособие на детей' }).click();
    await expect(page).toHaveURL(/\/benefits\/unified-allowance$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Единое пособие на детей' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Кто может получить' })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: 'Свидетельство о рождении ребёнка' })).toBeVisible();
    await expect(page.getByText('до 10 рабочих дней со дня подачи заявления')).toBeVisible();
    await expect(page.getByText('Доход семьи ниже прожиточного минимума')).toBeVisible();
    await expectNoAxeViolations(page);
    expect(problems).toEqual([]);
  });

  test('without scripts the search is a query the server answers', async ({ request }) => {
    const html = await (await request.get('/benefits?q=600105')).text();
    // The list as rendered (the page's data for hydration carries the whole catalogue).
    const start = html.indexOf('class="catalogue__list"');
    const list = html.slice(start, html.indexOf('</ul>', start));
    expect(list).toContain('Компенсация родительской платы за детский сад');
    expect(list).not.toContain('Единое пособие на детей');
  });

  test('eligibility: a proven parent checks a child, one failed rule is explained, live', async ({ page }, info) => {
    const problems = watchConsole(page);
    const child = FAMILIES[info.project.name];
    await confirmedParent(page, child.parents![0]);
    await addChild(page, child);
    await requestChecks(page);
    await expect(documentStatus(page, 'Свидетельство о рождении')).toHaveText('Подтверждено', { timeout: 20_000 });

    // The payment to large families: the registry does not know this family as large.
    await page.goto('/benefits/large-family-payment');
    await waitForHydration(page);
    const section = page.getByRole('region', { name: 'Проверка права на льготу' });
    const card = section.locator('.eligibility__child');
    await expect(card.getByRole('heading', { name: new RegExp(`${child.last} ${child.first} ${child.middle}`) })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
    await card.getByRole('button', { name: 'Проверить право' }).click();
    await expect(card.getByText('Есть несоответствия')).toBeVisible({ timeout: 20_000 });
    // Followed without a reload.
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(7);
    const failed = card.locator('.rules__item--failed');
    await expect(failed).toHaveCount(1);
    await expect(failed).toContainText('Не выполнено: Статус, позволяющий претендовать на льготу');
    await expect(failed).toContainText('В реестре Минтруда семья не значится многодетной');
    await expect(failed.getByRole('link', { name: 'Что исправить: Удостоверение многодетной семьи' })).toBeVisible();
    await expect(card.locator('.rules__item--passed')).toHaveCount(2);
    await expect(card.getByText(/Заявление можно подать и с несоответствием/)).toBeVisible();
    await expectNoAxeViolations(page);

    // The result is the server's: a reload shows it again.
    await page.reload();
    await expect(card.getByText('Есть несоответствия')).toBeVisible();

    // The единое пособие: low income is known, every rule passes.
    await page.goto('/benefits/unified-allowance');
    await waitForHydration(page);
    await card.getByRole('button', { name: 'Проверить право' }).click();
    await expect(card.getByText('Право подтверждено')).toBeVisible({ timeout: 20_000 });
    await expect(card.locator('.rules__item--passed')).toHaveCount(3);
    await expectNoAxeViolations(page);
    expect(problems).toEqual([]);
  });

  test('signed out, the check asks to sign in first', async ({ page }) => {
    await page.goto('/benefits/unified-allowance');
    const section = page.getByRole('region', { name: 'Проверка права на льготу' });
    await expect(section.getByText('Чтобы проверить право на льготу, войдите в личный кабинет.')).toBeVisible();
    await expect(section.getByRole('button', { name: 'Войти' })).toBeVisible();
  });

  test('an unknown benefit says so', async ({ page }) => {
    await page.goto('/benefits/no-such-benefit');
    await expect(page.getByRole('heading', { level: 1, name: 'Льгота не найдена' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Все льготы' })).toBeVisible();
  });
});
