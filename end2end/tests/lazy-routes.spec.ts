import { test, expect, type Page } from '@playwright/test';
import { waitForHydration, watchConsole } from './helpers';

// Every page but the home page is a lazy route (app/src/lazy_pages.rs): its code is
// a separate WASM chunk. Each is opened here directly by URL (server-rendered, then hydrated once
// its chunk has arrived) and by client-side navigation from the home page (the chunk is fetched
// on the click, with no page load), signed out, as a first visitor would.
const lazyRoutes: [string, string][] = [
  ['/sign-in', 'Вход'],
  ['/documents', 'Документы'],
  ['/documents/family', 'Семья и дети'],
  ['/documents/family/children/new', 'Добавление информации о ребёнке'],
  ['/documents/family/children/1', 'Сведения о ребёнке'],
  ['/documents/family/children/1/edit', 'Редактирование сведений о ребёнке'],
  ['/documents/family/children/1/account', 'Создание учётной записи ребёнка'],
  ['/documents/family/children/1/account/settings', 'Настроить профиль'],
  ['/documents/family/children/1/access', 'Настройки доступа'],
  ['/documents/family/children/1/activity', 'Журнал активности'],
  ['/documents/family/children/1/school', 'Учебные данные'],
  ['/documents/family/children/1/data', 'Данные о ребёнке'],
  ['/documents/family/consents', 'Согласия на передачу персональных данных детей'],
  ['/child-account/email', 'Не удалось подтвердить почту'],
  ['/operator/jobs', 'Очередь заданий'],
  ['/officer', 'Очередь заявлений'],
  ['/officer/support', 'Обращения в поддержку'],
  ['/officer/applications/1', 'Заявление не найдено'],
  ['/benefits', 'Льготы'],
  ['/benefits/unified-allowance', 'Единое пособие на детей'],
  ['/receipts/check', 'Проверить квитанцию'],
  ['/applications', 'Мои заявки'],
  ['/applications/history', 'История обращений'],
  ['/applications/1', 'Заявление не найдено'],
  ['/applications/drafts/1/child', 'Заявление не найдено'],
  ['/notifications', 'Уведомления'],
  ['/notifications/settings', 'Настройки уведомлений'],
  ['/notifications/history', 'История уведомлений'],
  ['/help', 'Помощь'],
  ['/help/question', 'Задать вопрос'],
  ['/help/requests', 'Мои обращения в поддержку'],
  ['/register', 'Регистрация'],
  ['/account/contacts', 'Подтверждение контактов'],
  ['/account/email', 'Не удалось подтвердить почту'],
  ['/profile', 'Профиль'],
  ['/profile/activity', 'Журнал активности'],
  ['/my-services', 'Мои сервисы'],
  ['/my-school', 'Учебные данные'],
  ['/recover', 'Восстановление доступа'],
  ['/recover/email', 'Новый пароль'],
  ['/dev/mailbox', 'Почтовый ящик разработчика'],
];

/** The lazy WASM files the page fetches from now on. */
function watchChunks(page: Page): string[] {
  const chunks: string[] = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    if (/^(split|chunk)_.*\.wasm$/.test(name)) chunks.push(name);
  });
  return chunks;
}

test('the home page loads no lazy chunk', async ({ page }) => {
  const chunks = watchChunks(page);
  await page.goto('/');
  await waitForHydration(page);
  expect(chunks).toEqual([]);
});

for (const [path, heading] of lazyRoutes) {
  // Each test has a fresh browser context: nothing is cached, so the chunk is fetched.
  test(`${path} opens by URL`, async ({ page }) => {
    const problems = watchConsole(page);
    const chunks = watchChunks(page);
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    // The server names the page's own chunk in a preload link, so it loads beside the main module.
    const links = (await response!.text()).match(/<link [^>]*>/g) ?? [];
    const preloads = links.filter((l) => l.includes('rel="preload"') && /\/split___\w+\.[\w-]+\.wasm"/.test(l));
    expect(preloads.length).toBeGreaterThan(0);
    // The server rendered the page; it hydrates once its chunk has arrived.
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await waitForHydration(page);
    expect(chunks.some((c) => c.startsWith('split_'))).toBe(true);
    expect(problems).toEqual([]);
  });

  test(`${path} opens by client-side navigation`, async ({ page }) => {
    const problems = watchConsole(page);
    const chunks = watchChunks(page);
    await page.goto('/');
    await waitForHydration(page);
    expect(chunks).toEqual([]);
    // A link the router handles like any other; the marker survives only without a page load.
    await page.evaluate((href) => {
      (window as unknown as { spaMarker: boolean }).spaMarker = true;
      const link = document.createElement('a');
      link.href = href;
      link.textContent = 'lazy route';
      link.id = 'lazy-route-link';
      document.querySelector('main')!.append(link);
    }, path);
    await page.locator('#lazy-route-link').click();
    await expect(page).toHaveURL(new RegExp(`${path.replace(/\//g, '\\/')}$`));
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { spaMarker?: boolean }).spaMarker)).toBe(true);
    expect(chunks.some((c) => c.startsWith('split_'))).toBe(true);
    // Signed out, the page's own request is refused (401, or 409 for a link without its token)
    // and the page says so; Chromium logs each refused request, which is no fault of the page.
    const refused = /^Failed to load resource: the server responded with a status of 40[19] /;
    expect(problems.filter((p) => !refused.test(p))).toEqual([]);
  });
}

// `data-hydrated` is what every journey waits for before it clicks. It must not come before the
// page's own chunk has taken over the server-rendered buttons: under load the chunk can arrive
// seconds after the main module, and a click in between did nothing (a CI failure).
test('a page opened by URL is marked hydrated only once its slow chunk has arrived', async ({ page }) => {
  let chunkServedAt = 0;
  await page.route(/\/split_[^/]*\.wasm$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    chunkServedAt = Date.now();
    await route.continue();
  });
  await page.goto('/help/question');
  await waitForHydration(page);
  expect(chunkServedAt).toBeGreaterThan(0);
  // At once, with no waiting: the button works.
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await expect(page.locator('#error-summary')).toBeFocused();
});
