import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, waitForHydration, watchConsole } from './helpers';
import { type Child, PETER, addChild, confirmedParent, documentStatus, requestChecks } from './family-helpers';

// Children in ЕГР ЗАГС without a СНИЛС in СФР, one per project, with the parent on the record.
const NO_SNILS: Record<string, Child> = {
  phone: { last: 'Лебедева', first: 'Ева', middle: 'Евгеньевна', sex: 'Женский', birth: '22.05.2018', certificate: 'III-ЕТ 448865', issued: '18.06.2018', act: '170018547166871', issuer: 'Отдел ЗАГС Центрального района г. Новосибирска',
    parents: [{ last: 'Лебедева', first: 'Марина', middle: 'Алексеевна', birth: '16.06.1995', snils: '035-773-743 79' }] },
  desktop: { last: 'Тарасова', first: 'Полина', middle: 'Тимофеевна', sex: 'Женский', birth: '02.11.2019', certificate: 'II-МЮ 099416', issued: '24.11.2019', act: '170019773957558', issuer: 'Отдел ЗАГС Москвы № 12',
    parents: [{ last: 'Тарасова', first: 'Светлана', middle: 'Тимофеевна', birth: '25.05.1993', snils: '046-369-215 70' }] },
};

test.describe('Семья и дети', () => {
  test('add a child → Запросить → the statuses change on screen → confirmed', async ({ page }, info) => {
    const problems = watchConsole(page);
    // Пётр's mother on one project, his father on the other: each is proven on their own.
    await confirmedParent(page, PETER.parents![info.project.name === 'phone' ? 0 : 1]);
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
    // The whole card follows: «Создать» appears without a reload.
    await expect(page.getByRole('button', { name: 'Создать' })).toBeVisible();
    await expectNoAxeViolations(page);

    // Reload: the card shows the confirmed documents and the СНИЛС СФР found.
    await page.reload();
    await expect(page.getByText('123-456-789 64')).toBeVisible();
    await page.goto('/notifications');
    await expect(page.getByRole('heading', { name: /Сведения о ребёнке подтверждены/ })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test("a stranger who knows a real child's certificate is never confirmed as the parent", async ({ page }) => {
    const problems = watchConsole(page);
    // Confirmed, but on nobody's birth record; Пётр's details typed exactly.
    await confirmedParent(page);
    await addChild(page, PETER);
    await requestChecks(page);
    await expect(documentStatus(page, 'Свидетельство о рождении')).toHaveText('Не найдено в загсе', { timeout: 20_000 });
    await expect(page.getByText(/вы не указаны в ней как мать или отец/)).toBeVisible();
    await expect(page.getByText(/Опекуну или попечителю нужно обратиться в центр обслуживания/)).toBeVisible();
    // СФР was not asked, and the card offers no way to the child's account.
    await expect(documentStatus(page, 'СНИЛС')).not.toHaveText('Подтверждено');
    await expect(page.getByText(/В записи акта о рождении ребёнка вы не указаны как родитель/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Создать' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Привязать' })).toHaveCount(0);
    await expect(page.getByText('123-456-789 64')).toHaveCount(0);
    await expectNoAxeViolations(page);
    await page.goto('/notifications');
    await expect(page.getByRole('heading', { name: /Запись о рождении не подтверждает, что вы родитель/ })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test('not found in СФР and not found in ЗАГС say what to check', async ({ page }, info) => {
    const problems = watchConsole(page);
    const child = NO_SNILS[info.project.name];
    await confirmedParent(page, child.parents![0]);
    await addChild(page, child);
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
    await expect(page.getByRole('link', { name: `${child.last} ${child.first} ${child.middle}` })).toBeVisible();
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
