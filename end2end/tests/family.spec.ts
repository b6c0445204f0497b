import { execFileSync } from 'node:child_process';
import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, uniqueContacts, waitForHydration, watchConsole } from './helpers';

const targetDir = process.env.CARGO_TARGET_DIR ?? '../target';

/** A parent registered through the page and confirmed by the administrator command, signed in. */
async function confirmedParent(page: Page) {
  const contacts = uniqueContacts();
  await page.goto('/register');
  await waitForHydration(page);
  await page.getByLabel('Фамилия').fill('Иванова');
  await page.getByLabel('Имя', { exact: true }).fill('Анна');
  await page.getByLabel('Отчество (при наличии)').fill('Сергеевна');
  await page.getByLabel('Дата рождения').fill('12.04.1990');
  await page.getByLabel('СНИЛС').fill(contacts.snils);
  await page.getByLabel('Мобильный телефон').fill(contacts.phone);
  await page.getByLabel('Электронная почта').fill(contacts.email);
  await page.getByLabel('Пароль', { exact: true }).fill('Kozlik-2026');
  await page.getByLabel('Повторите пароль').fill('Kozlik-2026');
  await page.getByLabel(/Даю согласие/).check();
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(page).toHaveURL(/\/account\/contacts$/);
  // «Подтверждённая» comes from a service centre; here from the administrator command.
  execFileSync(`${targetDir}/release/server`, ['admin', 'confirm-account', contacts.email], {
    env: { ...process.env, DATABASE_URL: 'sqlite://.e2e-data/portal.db' },
  });
}

type Child = { last: string; first: string; middle: string; sex: 'Мужской' | 'Женский'; birth: string; certificate: string; issued: string; act: string };

const PETER: Child = { last: 'Иванов', first: 'Пётр', middle: 'Андреевич', sex: 'Мужской', birth: '05.03.2016', certificate: 'VI-МЮ 123456', issued: '15.03.2016', act: '170016770001234' };
const MARIA: Child = { last: 'Иванова', first: 'Мария', middle: 'Андреевна', sex: 'Женский', birth: '21.07.2019', certificate: 'II-МЮ 654321', issued: '01.08.2019', act: '170019770005678' };

async function addChild(page: Page, child: Child) {
  await page.goto('/documents/family');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Дети', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Добавить' }).click();
  await expect(page.getByRole('heading', { name: 'Добавление информации о ребёнке' })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel('Фамилия').fill(child.last);
  await page.getByLabel('Имя', { exact: true }).fill(child.first);
  await page.getByLabel('Отчество').fill(child.middle);
  await page.getByLabel(child.sex).check();
  await page.getByLabel('Дата рождения').fill(child.birth);
  await page.getByLabel('Россия').check();
  await page.getByLabel('Серия и номер свидетельства о рождении').fill(child.certificate);
  await page.getByLabel('Дата выдачи', { exact: true }).first().fill(child.issued);
  await page.getByLabel('Номер актовой записи').fill(child.act);
  await page.getByLabel('Дата актовой записи').fill(child.issued);
  await page.getByLabel('Кем выдано свидетельство').fill('Отдел ЗАГС Москвы № 77');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${child.last} ${child.first} ${child.middle}` })).toBeVisible();
}

/** «Запросить» on the card, then «Отправить» in «Запрос на получение данных из ЕГР ЗАГС». */
async function requestChecks(page: Page) {
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Запросить' }).click();
  const dialog = page.getByRole('dialog', { name: 'Запрос на получение данных из ЕГР ЗАГС' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Автообновление для сохранения актуальности документов')).toBeChecked();
  await expectNoAxeViolations(page);
  await dialog.getByRole('button', { name: 'Отправить' }).click();
  await expect(dialog).toBeHidden();
}

function documentStatus(page: Page, title: string) {
  return page.locator('.document-status').filter({ has: page.getByRole('heading', { name: title, exact: true }) }).locator('.chip');
}

test.describe('Семья и дети', () => {
  test('add a child → Запросить → the statuses change on screen → confirmed', async ({ page }) => {
    const problems = watchConsole(page);
    await confirmedParent(page);
    await addChild(page, PETER);
    await expect(documentStatus(page, 'Свидетельство о рождении')).toHaveText('Данные введены вручную');
    await expect(page.getByText('Запросите в загсе для корректной работы услуг')).toBeVisible();
    await expectNoAxeViolations(page);

    await requestChecks(page);
    // The simulator answers in about a second: the page shows the check, then its result, with
    // no reload (the URL and the page's own state stay).
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await expect(documentStatus(page, 'Свидетельство о рождении')).toHaveText('Проверка данных');
    await expect(documentStatus(page, 'Свидетельство о рождении')).toHaveText('Подтверждено', { timeout: 20_000 });
    await expect(documentStatus(page, 'СНИЛС')).toHaveText('Подтверждено', { timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
    await expectNoAxeViolations(page);

    // Reload: the card shows the confirmed documents and the СНИЛС СФР found.
    await page.reload();
    await expect(page.getByText('123-456-789 64')).toBeVisible();
    await page.goto('/notifications');
    await expect(page.getByRole('heading', { name: /Сведения о ребёнке подтверждены/ })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test('not found in СФР and not found in ЗАГС say what to check', async ({ page }) => {
    const problems = watchConsole(page);
    await confirmedParent(page);
    await addChild(page, MARIA);
    await requestChecks(page);
    await expect(documentStatus(page, 'СНИЛС')).toHaveText('Не найден в СФР', { timeout: 20_000 });
    await expect(page.getByText(/СФР не нашёл СНИЛС ребёнка с такими ФИО и датой рождения/)).toBeVisible();

    await addChild(page, { ...PETER, certificate: 'I-АА 000000' });
    await requestChecks(page);
    await expect(documentStatus(page, 'Свидетельство о рождении')).toHaveText('Не найдено в загсе', { timeout: 20_000 });
    await expect(page.getByText(/Проверьте серию и номер свидетельства/)).toBeVisible();
    // «Запросить» is offered again after fixing the data.
    await expect(page.getByRole('button', { name: 'Запросить' })).toBeVisible();
    await expectNoAxeViolations(page);

    // The block «Дети» lists both with their statuses.
    await page.goto('/documents/family');
    await expect(page.getByRole('link', { name: 'Иванова Мария Андреевна' })).toBeVisible();
    await expect(page.getByText('Не найден в СФР')).toBeVisible();
    await expect(page.getByText('Не найдено в загсе')).toBeVisible();
    await expectNoAxeViolations(page);
    // Hydration of a page with children and the request dialog stays clean.
    expect(problems).toEqual([]);
  });

  test('wrong input is refused at each field; an adult or unborn child is refused', async ({ page }) => {
    await confirmedParent(page);
    await page.goto('/documents/family/children/new');
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.locator('#error-summary')).toBeFocused();
    await expect(page.getByText('Укажите пол ребёнка').first()).toBeVisible();
    await page.getByLabel('Дата рождения').fill('01.01.2000');
    await page.getByLabel('Серия и номер свидетельства о рождении').fill('VI-MU 123456');
    await page.getByLabel('Номер актовой записи').fill('17-A');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.getByText('Ребёнку уже исполнилось 18 лет').first()).toBeVisible();
    await expect(page.getByText('После римских цифр в серии — две русские буквы').first()).toBeVisible();
    await expect(page.getByText('Номер актовой записи — только цифры').first()).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByLabel('Дата рождения').fill('01.01.2099');
    await page.getByLabel('Дата рождения').blur();
    await expect(page.getByText('Дата рождения не может быть позже сегодняшнего дня').first()).toBeVisible();
  });
});
