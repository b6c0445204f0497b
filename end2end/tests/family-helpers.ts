import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, uniqueContacts, waitForHydration } from './helpers';

// What the family journeys share: a confirmed parent, a child added through the form, the
// registry checks requested from the card.

const targetDir = process.env.CARGO_TARGET_DIR ?? '../target';

/** An adult as the registries know them. */
export type Adult = { last: string; first: string; middle: string; birth: string; snils: string };

/** Parents on the simulator's birth records. An adult registers once per run (one СНИЛС, one
 * account), so each journey and project has its own. */
export const ANNA: Adult = { last: 'Иванова', first: 'Анна', middle: 'Сергеевна', birth: '12.04.1990', snils: '112-233-445 95' };
export const ANDREY: Adult = { last: 'Иванов', first: 'Андрей', middle: 'Викторович', birth: '17.06.1988', snils: '222-333-444 16' };

/** A parent registered through the page and confirmed by the administrator command, signed in.
 * Without `who`, Анна's name with a СНИЛС of their own: an adult on nobody's birth record. */
export async function confirmedParent(page: Page, who?: Adult) {
  const contacts = uniqueContacts();
  const adult = who ?? { ...ANNA, snils: contacts.snils };
  await page.goto('/register');
  await waitForHydration(page);
  await page.getByLabel('Фамилия').fill(adult.last);
  await page.getByLabel('Имя', { exact: true }).fill(adult.first);
  await page.getByLabel('Отчество (при наличии)').fill(adult.middle);
  await page.getByLabel('Дата рождения').fill(adult.birth);
  await page.getByLabel('СНИЛС').fill(adult.snils);
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
  return contacts;
}

export type Child = { last: string; first: string; middle: string; sex: 'Мужской' | 'Женский'; birth: string; certificate: string; issued: string; act: string; issuer?: string; parents?: Adult[] };

export const PETER: Child = { last: 'Иванов', first: 'Пётр', middle: 'Андреевич', sex: 'Мужской', birth: '05.03.2016', certificate: 'VI-МЮ 123456', issued: '15.03.2016', act: '170016770001234', parents: [ANNA, ANDREY] };

export async function addChild(page: Page, child: Child) {
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
  await page.getByLabel('Кем выдано свидетельство').fill(child.issuer ?? 'Отдел ЗАГС Москвы № 77');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${child.last} ${child.first} ${child.middle}` })).toBeVisible();
}

/** «Запросить» on the card, then «Отправить» in «Запрос на получение данных из ЕГР ЗАГС». */
export async function requestChecks(page: Page) {
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Запросить' }).click();
  const dialog = page.getByRole('dialog', { name: 'Запрос на получение данных из ЕГР ЗАГС' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Автообновление для сохранения актуальности документов')).toBeChecked();
  await expectNoAxeViolations(page);
  await dialog.getByRole('button', { name: 'Отправить' }).click();
  await expect(dialog).toBeHidden();
}

export function documentStatus(page: Page, title: string) {
  return page.locator('.document-status').filter({ has: page.getByRole('heading', { name: title, exact: true }) }).locator('.chip');
}

