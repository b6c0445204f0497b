import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, waitForHydration } from './helpers';

test.describe('Помощь → Задать вопрос', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/help/question');
    await waitForHydration(page);
  });

  test('СНИЛС is checked in the browser as the user leaves the field, with no request', async ({ page }) => {
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) apiCalls.push(r.url());
    });
    // A marker on the window survives only if the page is never reloaded.
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    const snils = page.getByLabel('СНИЛС');
    await snils.fill('112-233-445 96');
    await snils.blur();
    const error = page.locator('#snils-error');
    await expect(error).toHaveText('Ошибка: СНИЛС указан с ошибкой — проверьте цифры');
    await expect(snils).toHaveAttribute('aria-invalid', 'true');
    await expect(snils).toHaveAttribute('aria-describedby', 'snils-hint snils-error');
    await expectNoAxeViolations(page);

    // The error goes away the moment the number is corrected.
    await snils.fill('112-233-445 95');
    await expect(error).toBeHidden();
    await expect(snils).not.toHaveAttribute('aria-invalid', 'true');
    expect(apiCalls).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  });

  test('a failed «Продолжить» shows the error summary, focused, linking to each field', async ({ page }) => {
    await page.getByRole('button', { name: 'Продолжить' }).click();
    const summary = page.locator('#error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('heading', { name: 'Есть ошибки' })).toBeVisible();
    await expect(summary.getByRole('link')).toHaveText([
      'Введите СНИЛС',
      'Введите адрес электронной почты',
      'Напишите ваш вопрос',
    ]);
    await expectNoAxeViolations(page);
    await summary.getByRole('link', { name: 'Введите адрес электронной почты' }).click();
    await expect(page.getByLabel('Электронная почта')).toBeFocused();
  });

  test('a wrong СНИЛС followed at once by «Продолжить» reports every field', async ({ page }) => {
    await page.getByLabel('СНИЛС').fill('112-233-445 96');
    await page.getByRole('button', { name: 'Продолжить' }).click();
    const summary = page.locator('#error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText([
      'СНИЛС указан с ошибкой — проверьте цифры',
      'Введите адрес электронной почты',
      'Напишите ваш вопрос',
    ]);
  });

  test('passing through empty fields is not an error until «Продолжить»', async ({ page }) => {
    await page.getByLabel('СНИЛС').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(page.locator('#snils-error')).toBeHidden();
    await expect(page.locator('#email-error')).toBeHidden();
    await expect(page.locator('#error-summary')).toBeHidden();
  });

  test('the whole journey: write, check, change, send, get a number', async ({ page }) => {
    await page.getByLabel('СНИЛС').fill('11223344595');
    await page.getByLabel('Электронная почта').fill('anna@mail.ru');
    await page.getByLabel('Ваш вопрос').fill('Как добавить ребёнка?');
    await page.getByRole('button', { name: 'Продолжить' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные' })).toBeVisible();
    await expect(page.getByText('Шаг 2 из 2')).toBeVisible();
    await expect(page.getByText('112-233-445 95')).toBeVisible();
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Изменить — электронная почта' }).click();
    const email = page.getByLabel('Электронная почта');
    await expect(email).toBeFocused();
    await expect(email).toHaveValue('anna@mail.ru');
    await email.fill('anna.ivanova@mail.ru');
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.getByText('anna.ivanova@mail.ru')).toBeVisible();

    await page.getByRole('button', { name: 'Отправить' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Вопрос отправлен' })).toBeVisible();
    await expect(page.locator('.panel__reference')).toHaveText(/^ВП-\d{6}$/);
    await expect(page.getByText('Зарегистрировано')).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test('a reload in the middle starts a clean, working form', async ({ page }) => {
    await page.getByLabel('СНИЛС').fill('112-233-445 95');
    await page.getByLabel('Электронная почта').fill('anna@mail.ru');
    await page.getByLabel('Ваш вопрос').fill('Вопрос');
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные' })).toBeVisible();
    await page.reload();
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Задать вопрос' })).toBeVisible();
    await page.getByLabel('СНИЛС').fill('1');
    await page.getByLabel('СНИЛС').blur();
    await expect(page.locator('#snils-error')).toBeVisible();
  });
});
