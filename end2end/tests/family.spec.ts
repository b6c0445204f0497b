import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, waitForHydration, watchConsole } from './helpers';
import { MARIA, PETER, addChild, confirmedParent, documentStatus, requestChecks } from './family-helpers';

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
