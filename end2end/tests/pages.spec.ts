import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, waitForHydration, watchConsole } from './helpers';

const pages: [string, string][] = [
  ['/', 'Госуслуги для семьи и детей'],
  ['/documents', 'Документы'],
  ['/documents/family', 'Семья и дети'],
  ['/benefits', 'Льготы'],
  ['/applications', 'Мои заявки'],
  ['/notifications', 'Уведомления'],
  ['/help', 'Помощь'],
  ['/help/question', 'Задать вопрос'],
];

for (const [path, heading] of pages) {
  test(`${path} hydrates, has its heading and no accessibility violations`, async ({ page }) => {
    const problems = watchConsole(page);
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await waitForHydration(page);
    await expectNoAxeViolations(page);
    expect(problems).toEqual([]);
  });
}

test('an unknown address answers 404 with a helpful page', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Страница не найдена' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('navigation lists the sections and marks the current one', async ({ page }) => {
  await page.goto('/help');
  const nav = page.getByRole('navigation', { name: 'Разделы портала' });
  for (const name of ['Главная', 'Документы', 'Льготы', 'Заявки', 'Уведомления', 'Помощь']) {
    await expect(nav.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await expect(nav.getByRole('link', { name: 'Помощь' })).toHaveAttribute('aria-current', 'page');
  await waitForHydration(page);
  // Client-side navigation after hydration: no full reload, the current mark moves.
  await nav.getByRole('link', { name: 'Льготы' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Льготы' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Льготы' })).toHaveAttribute('aria-current', 'page');
});

test('nothing overflows the viewport horizontally', async ({ page }) => {
  for (const [path] of pages) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});
