import { execFileSync } from 'node:child_process';
import { expect, type Browser, type Page } from '@playwright/test';
import { textPdf, uniqueContacts, waitForHydration, watchConsole } from './helpers';
import { addChild, confirmedParent, documentStatus, requestChecks, type Child } from './family-helpers';

// What the deciding journeys share: a family that has sent an application for «Материнский
// (семейный) капитал» (no registry status needed, three documents), and officers created by the
// administrator command and signed in on a desktop.

const targetDir = process.env.CARGO_TARGET_DIR ?? '../target';

/** The child's parent registers and confirms, adds the child, the registry confirms the
 * certificate, and the parent applies through every page; the application's number and id. */
export async function sentApplication(page: Page, child: Child): Promise<{ number: string; id: number; email: string }> {
  const contacts = await confirmedParent(page, child.parents![0]);
  await addChild(page, child);
  await requestChecks(page);
  await expect(documentStatus(page, 'Свидетельство о рождении')).toHaveText('Подтверждено', { timeout: 20_000 });

  await page.goto('/benefits/maternity-capital');
  await waitForHydration(page);
  const card = page.getByRole('region', { name: 'Проверка права на льготу' }).locator('.eligibility__child');
  await card.getByRole('button', { name: 'Проверить право' }).click();
  await expect(card.getByText('Право подтверждено')).toBeVisible({ timeout: 20_000 });
  await card.getByRole('button', { name: 'Оформить новую льготу' }).click();

  const next = async (url: RegExp) => {
    await expect(page).toHaveURL(url);
    await waitForHydration(page);
  };
  await next(/\/child$/);
  await page.getByLabel('Место рождения').fill('г. Москва');
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await next(/\/passport$/);
  await page.getByLabel('Серия и номер').fill('4509 376342');
  await page.getByLabel('Дата выдачи').fill('16.03.2009');
  await page.getByLabel('Кем выдан').fill('ГУ МВД России по г. Москве');
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await next(/\/snils$/);
  await page.getByLabel('Ребёнка воспитывает один родитель').check();
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await next(/\/addresses$/);
  await page.getByLabel('Фактический адрес совпадает с адресом регистрации').check();
  await page.getByLabel('Адрес регистрации').fill('119002, г. Москва, ул. Арбат, д. 1');
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await next(/\/contacts$/);
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await next(/\/documents$/);
  const slot = (code: string) => page.locator('section.document-slot').filter({ has: page.locator(`#document-${code}`) });
  for (const code of ['birth_certificate', 'passport', 'snils']) {
    await page.locator(`#document-${code}`).setInputFiles({ name: `${code}.pdf`, mimeType: 'application/pdf', buffer: textPdf(code) });
    await slot(code).getByRole('button', { name: 'Сохранить' }).click();
    await expect(slot(code).getByRole('status')).toContainText('Одобрено', { timeout: 20_000 });
  }
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await next(/\/check$/);
  await page.getByLabel('Подтверждаю, что сведения в заявлении верны и полны').check();
  await page.getByRole('button', { name: 'Отправить' }).click();
  await expect(page.getByRole('heading', { name: 'Заявление отправлено' })).toBeVisible();
  const number = (await page.locator('.summary__row').filter({ hasText: 'Номер заявления' }).locator('dd').textContent())!.trim();
  await page.getByRole('button', { name: 'Открыть заявление' }).click();
  await expect(page).toHaveURL(/\/applications\/\d+$/);
  await waitForHydration(page);
  return { number, id: Number(page.url().split('/').pop()), email: contacts.email };
}

/** An officer made by `admin create-officer`, signed in, in a desktop window of their own. */
export async function officerPage(browser: Browser, last: string): Promise<Page> {
  const contacts = uniqueContacts();
  const printed = execFileSync(
    `${targetDir}/release/server`,
    ['admin', 'create-officer', '--last-name', last, '--first-name', 'Олег', '--middle-name', 'Игоревич',
      '--birth-date', '03.03.1980', '--snils', contacts.snils, '--phone', contacts.phone, '--email', contacts.email],
    { env: { ...process.env, DATABASE_URL: 'sqlite://.e2e-data/portal.db' } },
  ).toString();
  const password = printed.match(/password \(shown once[^)]*\): (\S+)/)![1];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  officerProblems.set(page, watchConsole(page));
  await page.goto('/sign-in');
  await waitForHydration(page);
  await page.getByLabel('Телефон / Email / СНИЛС').fill(contacts.email);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  await expect(page.locator('header')).toContainText(`Олег ${last}`);
  return page;
}

/** What each officer's window logged as errors: a failed hydration shows here first. */
const officerProblems = new Map<Page, string[]>();

/** No script error in the officer's window (refused requests, which Chromium logs, aside). */
export function expectNoPageErrors(officer: Page) {
  const refused = /^Failed to load resource: the server responded with a status of 4\d\d /;
  expect((officerProblems.get(officer) ?? []).filter((p) => !refused.test(p))).toEqual([]);
}

/** The officer opens the application from the queue and takes it into work. */
export async function claim(officer: Page, number: string) {
  await officer.goto('/officer');
  await waitForHydration(officer);
  await officer.getByRole('link', { name: number }).click();
  await expect(officer).toHaveURL(/\/officer\/applications\/\d+$/);
  await waitForHydration(officer);
  await officer.getByRole('button', { name: 'Взять в работу' }).click();
  await expect(officer.getByRole('button', { name: 'Вернуть в очередь' })).toBeVisible();
}

/** The officer's decision with its comment. */
export async function decide(officer: Page, action: string, comment: string) {
  await officer.getByRole('radio', { name: action }).check();
  await officer.getByLabel('Комментарий для заявителя').fill(comment);
  await officer.getByRole('button', { name: 'Сохранить решение' }).click();
}
