import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, textPdf, waitForHydration } from './helpers';
import { type Child } from './family-helpers';
import { claim, decide, expectNoPageErrors, officerPage, sentApplication } from './deciding-helpers';

// Deciding, as the family and the officers do it: the family on the project's viewport (a phone
// at 360 px, or a desktop), each officer at a desktop. One family of the simulator per test and
// project, used nowhere else.
const CLARIFIED: Record<string, Child> = {
  phone: { last: 'Антонова', first: 'Милана', middle: 'Максимовна', sex: 'Женский', birth: '15.10.2013', certificate: 'III-КБ 179476', issued: '05.11.2013', act: '170013162853676', issuer: 'Отдел ЗАГС Вахитовского района г. Казани',
    parents: [{ last: 'Захарова', first: 'Анна', middle: 'Максимовна', birth: '23.08.1983', snils: '012-263-390 02' }] },
  desktop: { last: 'Морозов', first: 'Егор', middle: 'Николаевич', sex: 'Мужской', birth: '02.08.2019', certificate: 'I-ЕТ 154152', issued: '23.08.2019', act: '170019545625543', issuer: 'Отдел ЗАГС Центрального района г. Новосибирска',
    parents: [{ last: 'Морозова', first: 'Ирина', middle: 'Тимофеевна', birth: '12.06.1998', snils: '049-364-593 94' }] },
};
const APPEALED: Record<string, Child> = {
  phone: { last: 'Андреева', first: 'Ксения', middle: 'Егоровна', sex: 'Женский', birth: '02.03.2023', certificate: 'IV-АК 698874', issued: '13.03.2023', act: '170023785331001', issuer: 'Отдел ЗАГС Приморского района Санкт-Петербурга',
    parents: [{ last: 'Андреева', first: 'Светлана', middle: 'Фёдоровна', birth: '29.03.1978', snils: '049-843-954 14' }] },
  desktop: { last: 'Захаров', first: 'Фёдор', middle: 'Кириллович', sex: 'Мужской', birth: '25.02.2014', certificate: 'VI-АГ 655107', issued: '18.03.2014', act: '170014236019342', issuer: 'Отдел ЗАГС Прикубанского округа г. Краснодара',
    parents: [{ last: 'Захарова', first: 'Марина', middle: 'Денисовна', birth: '19.02.1993', snils: '197-250-870 03' }] },
};

test('clarification, an answer with a document, approval seen live, then the history and its exports', async ({ page, browser }, info) => {
  test.setTimeout(240_000);
  const shot = async (p: typeof page, name: string) => {
    if (process.env.SCREENSHOTS_DIR) await p.screenshot({ path: `${process.env.SCREENSHOTS_DIR}/deciding-${info.project.name}-${name}.png`, fullPage: true });
  };
  const child = CLARIFIED[info.project.name];
  const { number, id } = await sentApplication(page, child);
  await expect(page.getByRole('status').first()).toContainText('На рассмотрении');

  // The officer takes it and asks for a document; a request without its text is refused at the field.
  const officer = await officerPage(browser, 'Смирнов');
  await claim(officer, number);
  await expectNoAxeViolations(officer);
  await officer.getByRole('radio', { name: 'Запросить уточнение' }).check();
  await officer.getByRole('button', { name: 'Сохранить решение' }).click();
  await expect(officer.locator('#comment-error')).toContainText('Напишите, что нужно уточнить');
  await expectNoAxeViolations(officer);
  await decide(officer, 'Запросить уточнение', 'Приложите справку о составе семьи');
  await expect(officer.getByRole('status').first()).toContainText('Требуется уточнение');
  await shot(officer, '1-officer-clarification');

  // The family's open page shows the request without a reload.
  await expect(page.getByRole('heading', { name: 'Требуется уточнение' })).toBeVisible({ timeout: 45_000 });
  await expect(page.getByText('Приложите справку о составе семьи').first()).toBeVisible();
  // Sending nothing is refused with the reason.
  await page.getByRole('button', { name: 'Отправить повторно' }).click();
  await expect(page.locator('#comment-error')).toContainText('Напишите ответ или приложите документ');
  await expectNoAxeViolations(page);
  await shot(page, '2-family-refused');
  // A reload in the middle changes nothing of what was asked.
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Требуется уточнение' })).toBeVisible();
  await page.getByLabel('Добавить документ').setInputFiles({ name: 'справка.pdf', mimeType: 'application/pdf', buffer: textPdf('family') });
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.locator('.held__item')).toContainText('справка.pdf');
  await expect(page.locator('.held__item').getByRole('status')).toContainText('Одобрено', { timeout: 20_000 });
  await page.getByLabel('Ответ специалисту').fill('Справка приложена');
  await page.getByRole('button', { name: 'Отправить повторно' }).click();
  await expect(page.locator('.summary').getByRole('status')).toContainText('На рассмотрении');
  await expectNoAxeViolations(page);
  await shot(page, '3-family-resent');

  // Back in the queue with the new material marked; the officer approves.
  await officer.goto('/officer');
  await waitForHydration(officer);
  const row = officer.locator('tr').filter({ hasText: number });
  await expect(row).toContainText('Новые материалы');
  await claim(officer, number);
  await expect(officer.getByText('справка.pdf').first()).toBeVisible();
  await decide(officer, 'Одобрить', 'Льгота назначена');
  await expect(officer.getByRole('status').first()).toContainText('Одобрено');
  await shot(officer, '4-officer-approved');

  // The family sees «Одобрено» live, with the officer by public number in the journal.
  await expect(page.locator('.summary').getByRole('status')).toContainText('Одобрено', { timeout: 45_000 });
  await expect(page.getByText(/Специалист № \d+/).first()).toBeVisible();
  await page.goto('/notifications');
  await waitForHydration(page);
  await expect(page.getByText(`Заявление № ${number}: «Одобрено»`)).toBeVisible({ timeout: 20_000 });

  // The benefit is active on the child's card.
  await page.goto('/documents/family');
  await waitForHydration(page);
  await page.getByRole('link', { name: new RegExp(child.first) }).first().click();
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Льготы' })).toBeVisible();
  await expect(page.getByText('Материнский (семейный) капитал')).toBeVisible();

  // «История обращений»: filtered by status, searched by number, a wrong number refused at its field.
  await page.goto('/applications/history');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1, name: 'История обращений' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Статус').selectOption({ label: 'Одобрено' });
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page).toHaveURL(/status=approved/);
  await expect(page.getByRole('link', { name: number })).toBeVisible();
  await page.getByLabel('Поиск по номеру обращения').fill('600102-2026');
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page.locator('#number-error')).toContainText('Введите номер обращения целиком');
  await expectNoAxeViolations(page);
  await shot(page, '5-history-error');
  await page.getByLabel('Поиск по номеру обращения').fill(number);
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page.getByRole('status')).toHaveText('Найдено обращений: 1');
  await expect(page.getByRole('link', { name: number })).toBeVisible();
  await expectNoAxeViolations(page);
  await shot(page, '6-history');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // The chosen row exported: a CSV a spreadsheet opens as it is, and a signed PDF.
  await page.getByLabel(`Выбрать обращение ${number}`).check();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Выгрузить в CSV' }).click()]);
  const csvBytes = readFileSync((await csv.path())!);
  expect(csvBytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const csvText = csvBytes.subarray(3).toString('utf8');
  expect(csvText.split('\r\n')[0]).toContain('Номер обращения;Льгота;Ребёнок');
  expect(csvText).toContain(`${number};Материнский (семейный) капитал;`);
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Выгрузить в PDF' }).click()]);
  expect(readFileSync((await pdf.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await page.goto(`/applications/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Материнский (семейный) капитал');
  expectNoPageErrors(officer);
});

test('a refusal is appealed and another officer grants the appeal', async ({ page, browser }, info) => {
  test.setTimeout(240_000);
  const child = APPEALED[info.project.name];
  const { number, email } = await sentApplication(page, child);

  const first = await officerPage(browser, 'Петров');
  await claim(first, number);
  // A refusal without its reason is refused at the field.
  await first.getByRole('radio', { name: 'Отказать' }).check();
  await first.getByRole('button', { name: 'Сохранить решение' }).click();
  await expect(first.locator('#comment-error')).toContainText('Укажите причину отказа');
  await decide(first, 'Отказать', 'Не приложена справка о доходах');
  await expect(first.getByRole('status').first()).toContainText('Отклонено');

  // The family reads the refusal and appeals within the 30 days.
  await expect(page.getByRole('heading', { name: /^Отказ: решение № \d+/ })).toBeVisible({ timeout: 45_000 });
  await expect(page.getByText('Не приложена справка о доходах').first()).toBeVisible();
  await page.getByRole('button', { name: 'Оспорить решение' }).click();
  await page.getByRole('button', { name: 'Отправить жалобу' }).click();
  await expect(page.locator('#comment-error')).toContainText('почему вы считаете решение ошибочным');
  await page.getByLabel('Аргументы').fill('Справка о доходах была приложена к заявлению');
  await page.getByRole('button', { name: 'Отправить жалобу' }).click();
  await expect(page.locator('.summary').getByRole('status')).toContainText('Обжалование');
  await expectNoAxeViolations(page);

  // The officer who refused cannot decide the appeal; another one can.
  await claim(first, number);
  await expect(first.getByRole('radio', { name: 'Удовлетворить жалобу — одобрить' })).toHaveCount(0);
  await first.getByRole('button', { name: 'Вернуть в очередь' }).click();
  await expect(first.getByRole('button', { name: 'Взять в работу' })).toBeVisible();
  const second = await officerPage(browser, 'Кузнецов');
  await claim(second, number);
  await decide(second, 'Удовлетворить жалобу — одобрить', 'Справка найдена в заявлении');
  await expect(second.getByRole('status').first()).toContainText('Одобрено');
  await expectNoAxeViolations(second);

  // The appeal's outcome is a new decision in the same journal, and the benefit is active.
  await expect(page.locator('.summary').getByRole('status')).toContainText('Одобрено', { timeout: 45_000 });
  await expect(page.getByText('Жалоба удовлетворена: одобрено')).toBeVisible();
  await expectNoAxeViolations(page);

  // A question to support about the application, its number filled in; an officer answers it in
  // the back office and the family's list shows the answer without a reload.
  await page.getByRole('link', { name: 'Задать вопрос о заявлении' }).click();
  await waitForHydration(page);
  await expect(page.getByText(`Вопрос о заявлении № ${number}`)).toBeVisible();
  await page.getByLabel('СНИЛС').fill(child.parents![0].snils);
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Ваш вопрос').fill('Когда начнутся выплаты?');
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await page.getByRole('button', { name: 'Отправить' }).click();
  await expect(page.getByRole('heading', { name: 'Вопрос отправлен' })).toBeVisible();
  await page.getByRole('link', { name: 'Мои обращения в поддержку' }).click();
  await waitForHydration(page);
  const request = page.locator('.support-requests .card').first();
  await expect(request).toContainText('Зарегистрировано');
  await expect(request).toContainText(number);
  await expectNoAxeViolations(page);

  await second.goto('/officer/support');
  await waitForHydration(second);
  const card = second.locator('.support-requests .card').filter({ hasText: number });
  await card.getByRole('button', { name: 'Ответить' }).click();
  await expect(card.locator('.field__error')).toContainText('Напишите ответ');
  await expectNoAxeViolations(second);
  await card.getByLabel('Ответ заявителю').fill('Первая выплата — в следующем месяце');
  await card.getByRole('button', { name: 'Ответить' }).click();
  await expect(second.getByRole('status')).toContainText('отправлен');
  await expect(card).toHaveCount(0);

  await expect(request).toContainText('Ответ получен', { timeout: 45_000 });
  await expect(request).toContainText('Первая выплата — в следующем месяце');
  expectNoPageErrors(first);
  expectNoPageErrors(second);
});
