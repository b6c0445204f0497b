import { test, expect, type Browser, type Page } from '@playwright/test';
import { e164, expectNoAxeViolations, mailboxMessage, uniqueContacts, waitForHydration, watchConsole } from './helpers';
import { type Adult, type Child, addChild, confirmedParent, documentStatus, requestChecks } from './family-helpers';

// Children from the simulator's data set, found in ЕГР ЗАГС and СФР. Each run takes its own: a
// child's СНИЛС can hold one account only.
// Each with a parent on the birth record, who registers once per run.
const ELIZAVETA: Child = { last: 'Соколова', first: 'Елизавета', middle: 'Сергеевна', sex: 'Женский', birth: '09.03.2018', certificate: 'I-АИ 912078', issued: '20.03.2018', act: '170018662012167', issuer: 'Отдел ЗАГС Кировского района г. Екатеринбурга',
  parents: [{ last: 'Воробьёва', first: 'Наталья', middle: 'Кирилловна', birth: '03.04.1995', snils: '020-835-112 05' }] };
const VASILISA: Child = { last: 'Яковлева', first: 'Василиса', middle: 'Николаевна', sex: 'Женский', birth: '23.12.2014', certificate: 'VII-АК 768641', issued: '12.01.2015', act: '170015780531215', issuer: 'Отдел ЗАГС Приморского района Санкт-Петербурга',
  parents: [{ last: 'Макарова', first: 'Ирина', middle: 'Кирилловна', birth: '01.09.1993', snils: '051-467-693 67' }] };
const MARK: Child = { last: 'Морозов', first: 'Марк', middle: 'Артёмович', sex: 'Мужской', birth: '02.10.2020', certificate: 'II-АИ 876413', issued: '29.10.2020', act: '170020660370759', issuer: 'Отдел ЗАГС Кировского района г. Екатеринбурга',
  parents: [{ last: 'Морозова', first: 'Анастасия', middle: 'Денисовна', birth: '14.12.1992', snils: '139-993-850 39' }] };
const ALEXANDRA: Child = { last: 'Морозова', first: 'Александра', middle: 'Григорьевна', sex: 'Женский', birth: '17.05.2022', certificate: 'III-АК 488067', issued: '10.06.2022', act: '170022781000001', issuer: 'Отдел ЗАГС Приморского района Санкт-Петербурга',
  parents: [{ last: 'Соколова', first: 'Ирина', middle: 'Ильинична', birth: '15.01.1986', snils: '164-350-671 60' }] };
// One per project and repeat (`--repeat-each=2` runs them all against one server).
const UNDER_14 = { phone: [ELIZAVETA, MARK], desktop: [VASILISA, ALEXANDRA] };
// A teen (15) who registers on their own with her СНИЛС, and both parents on her birth record;
// one per project.
type Teen = Child & { snils: string; parents: Adult[] };
const TEENS: Record<string, Teen> = {
  phone: { last: 'Дмитриева', first: 'Ксения', middle: 'Романовна', sex: 'Женский', birth: '11.05.2011', certificate: 'II-АГ 479191', issued: '25.05.2011', act: '170011232901207', issuer: 'Отдел ЗАГС Прикубанского округа г. Краснодара', snils: '189-889-500 73',
    parents: [
      { last: 'Дмитриева', first: 'Анастасия', middle: 'Олеговна', birth: '30.01.1984', snils: '015-614-453 24' },
      { last: 'Дмитриев', first: 'Роман', middle: 'Романович', birth: '12.09.1978', snils: '018-909-326 72' },
    ] },
  desktop: { last: 'Андреева', first: 'Ксения', middle: 'Александровна', sex: 'Женский', birth: '15.04.2011', certificate: 'I-АК 367123', issued: '06.05.2011', act: '170011789257536', issuer: 'Отдел ЗАГС Приморского района Санкт-Петербурга', snils: '030-844-264 29',
    parents: [
      { last: 'Андреева', first: 'Ирина', middle: 'Александровна', birth: '29.03.1980', snils: '060-288-983 77' },
      { last: 'Андреев', first: 'Александр', middle: 'Михайлович', birth: '10.06.1977', snils: '138-916-551 97' },
    ] },
};
const PASSWORD = 'Kozlik-2026';

async function newPage(browser: Browser, viewport: Page): Promise<Page> {
  const context = await browser.newContext({ viewport: viewport.viewportSize() ?? undefined });
  return context.newPage();
}

async function signIn(page: Page, login: string) {
  await page.goto('/sign-in');
  await waitForHydration(page);
  await page.getByLabel('Телефон / Email / СНИЛС').fill(login);
  await page.getByLabel('Пароль', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
}

test.describe('Учётная запись ребёнка', () => {
  // Each journey signs up two or three people and waits for the registries: three times the
  // default time.
  test.slow();

  test('a parent creates an under-14 account; the child signs in only after the consent', async ({ page, browser }, info) => {
    const problems = watchConsole(page);
    const choices = UNDER_14[info.project.name as 'phone' | 'desktop'];
    const child = choices[info.repeatEachIndex % choices.length];
    await confirmedParent(page, child.parents![0]);
    await addChild(page, child);
    // Until both documents are confirmed the card says why there is no «Создать».
    await expect(page.getByText('свидетельство о рождении и СНИЛС должны быть подтверждены')).toBeVisible();
    await requestChecks(page);
    await expect(documentStatus(page, 'СНИЛС')).toHaveText('Подтверждено', { timeout: 20_000 });
    // The card follows its statuses: «Создать» comes without a reload.
    await page.getByRole('button', { name: 'Создать' }).click();
    await expect(page.getByRole('heading', { name: 'Добавьте адрес' })).toBeVisible();
    await waitForHydration(page);
    await expectNoAxeViolations(page);

    // Address: an empty place of birth is refused at the field.
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.locator('#error-summary')).toBeFocused();
    await expect(page.getByText('Введите место рождения, как в свидетельстве о рождении').first()).toBeVisible();
    await page.getByLabel('Место рождения').fill('г. Екатеринбург');
    await page.getByLabel('Адрес постоянной регистрации').fill('г. Екатеринбург, ул. Ленина, д. 5, кв. 12');
    await page.getByRole('button', { name: 'Продолжить' }).click();

    // Phone with a code from the SMS (read in the development mailbox in another tab).
    await expect(page.getByRole('heading', { name: 'Добавьте номер телефона — при наличии' })).toBeVisible();
    const phone = uniqueContacts().phone;
    await page.getByLabel('Номер телефона').fill(phone);
    await page.getByRole('button', { name: 'Получить код' }).click();
    await expect(page.getByLabel('Код из СМС')).toBeVisible();
    const mailbox = await page.context().newPage();
    const sms = await mailboxMessage(mailbox, e164(phone));
    const code = sms.match(/\d{6}/)![0];
    // A reload in the middle lands on the same step.
    await page.reload();
    await waitForHydration(page);
    await page.getByLabel('Код из СМС').fill(code);
    await page.getByRole('button', { name: 'Подтвердить' }).click();

    // E-mail: the consent must be ticked.
    await expect(page.getByRole('heading', { name: 'Добавьте электронную почту' })).toBeVisible();
    const childEmail = `child${Date.now()}${info.project.name}@mail.ru`;
    await page.getByLabel('Электронная почта').fill(childEmail);
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.getByText('дайте согласие на использование персональных данных').first()).toBeVisible();
    await page.getByLabel('Даю согласие на использование персональных данных для создания учётной записи ребёнка').check();
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.getByRole('heading', { name: 'Подтвердите электронную почту' })).toBeVisible();
    await expectNoAxeViolations(page);

    // «Подтвердить адрес» from the letter, opened in the child's own browser.
    const letter = await mailboxMessage(mailbox, childEmail);
    expect(letter).toContain(`Имя ребёнка: ${child.first}`);
    const link = letter.match(/https?:\/\/\S+token=\S+/)![0];
    const childPage = await newPage(browser, page);
    await childPage.goto(link);
    await expect(childPage.getByRole('heading', { name: 'Адрес электронной почты подтверждён' })).toBeVisible();

    // The parent sets the password.
    await page.getByRole('button', { name: 'Я подтвердил адрес' }).click();
    await expect(page.getByText('Придумайте или')).toBeVisible();
    await page.getByLabel('Пароль', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Повторите пароль').fill(PASSWORD);
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.getByRole('heading', { name: 'Учётная запись ребёнка создана' })).toBeVisible();
    await expectNoAxeViolations(page);

    // The child's first sign-in is refused with the reason.
    await signIn(childPage, childEmail);
    await expect(childPage.getByText(/родитель ещё не дал согласие/).first()).toBeVisible();

    // The parent consents on the card.
    await page.getByRole('button', { name: 'Перейти к согласию' }).click();
    await waitForHydration(page);
    await expect(page.getByText('Ожидает вашего решения')).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Дать согласие' }).click();
    await expect(page.getByText('Согласие дано')).toBeVisible();
    const receiptLink = page.getByRole('link', { name: 'Скачать квитанцию' });
    await expect(receiptLink).toBeVisible();

    // The receipt is a signed PDF; its QR code (also a link in the file) opens the public check,
    // which anyone can use — here a browser with no session at all.
    const receipt = await page.request.get((await receiptLink.getAttribute('href'))!);
    expect(receipt.headers()['content-type']).toBe('application/pdf');
    const pdf = (await receipt.body()).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    const checkUrl = pdf.match(/(https?:\/\/[^()\s]+\/receipts\/check\?number=[^()\s]+)/)![1];
    const stranger = await (await browser.newContext({ viewport: page.viewportSize() ?? undefined })).newPage();
    await stranger.goto(checkUrl);
    await expect(stranger.getByRole('heading', { name: 'Квитанция подлинная' })).toBeVisible();
    await expect(stranger.getByText('Согласие дано')).toBeVisible();
    await expect(stranger.getByText(child.last)).toHaveCount(0);
    await expectNoAxeViolations(stranger);

    await signIn(childPage, childEmail);
    await expect(childPage).not.toHaveURL(/sign-in/);
    await childPage.goto('/notifications');
    await expect(childPage.getByRole('heading', { name: /Родитель дал согласие/ })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test('a teen registers; both parents link the account; the first parent is told', async ({ page, browser }, info) => {
    const problems = watchConsole(page);
    const OLGA = TEENS[info.project.name];
    const [mother, father] = OLGA.parents;
    // The teen registers herself.
    const teen = await newPage(browser, page);
    const teenContacts = uniqueContacts();
    await teen.goto('/register');
    await waitForHydration(teen);
    await teen.getByLabel('Фамилия').fill(OLGA.last);
    await teen.getByLabel('Имя', { exact: true }).fill(OLGA.first);
    await teen.getByLabel('Отчество (при наличии)').fill(OLGA.middle);
    await teen.getByLabel('Дата рождения').fill(OLGA.birth);
    await teen.getByLabel('СНИЛС').fill(OLGA.snils);
    await teen.getByLabel('Мобильный телефон').fill(teenContacts.phone);
    await teen.getByLabel('Электронная почта').fill(teenContacts.email);
    await teen.getByLabel('Пароль', { exact: true }).fill(PASSWORD);
    await teen.getByLabel('Повторите пароль').fill(PASSWORD);
    await teen.getByLabel(/Даю согласие/).check();
    await teen.getByRole('button', { name: 'Зарегистрироваться' }).click();
    await expect(teen).toHaveURL(/\/account\/contacts$/);

    // The first parent links her with a code.
    await confirmedParent(page, mother);
    await addChild(page, OLGA);
    // «Привязать» only once ЕГР ЗАГС names this parent and СФР confirms the СНИЛС.
    await expect(page.getByRole('button', { name: 'Привязать' })).toHaveCount(0);
    await requestChecks(page);
    await expect(documentStatus(page, 'СНИЛС')).toHaveText('Подтверждено', { timeout: 20_000 });
    await expect(page.getByText('Ребёнку уже 14 лет')).toBeVisible();
    await page.getByRole('button', { name: 'Привязать' }).click();
    await page.getByLabel('Электронная почта ребёнка').fill(teenContacts.email);
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.getByText('Подтвердите, что учётная запись принадлежит вашему ребёнку').first()).toBeVisible();
    await page.getByLabel('Подтверждаю, что учётная запись принадлежит моему ребёнку').check();
    await page.getByRole('button', { name: 'Продолжить' }).click();
    const code = (await page.locator('.link-code').innerText()).trim();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await expectNoAxeViolations(page);

    // Ольга enters it in «Профиль»; a wrong code first.
    await teen.goto('/profile');
    await waitForHydration(teen);
    await teen.getByLabel('Код привязки').fill('AAAA-BBBB');
    await teen.getByRole('button', { name: 'Привязать' }).click();
    await expect(teen.getByText('Неверный код привязки. Осталось попыток: 4').first()).toBeVisible();
    await teen.getByLabel('Код привязки').fill(code);
    await teen.getByRole('button', { name: 'Привязать' }).click();
    await expect(teen.getByText('Учётная запись привязана к учётной записи родителя')).toBeVisible();
    await expect(teen.getByText(new RegExp(`${mother.last} ${mother.first} ${mother.middle} — с`))).toBeVisible();
    // The profile reloaded around the new section; its other forms start empty, not "undefined".
    await expect(teen.getByLabel('Серия и номер паспорта')).toHaveValue('');
    await expect(teen.getByLabel('Текущий пароль')).toHaveValue('');
    await expectNoAxeViolations(teen);

    // The second parent links too; Ольга enters the code right after signing in.
    const second = await newPage(browser, page);
    await confirmedParent(second, father);
    await addChild(second, OLGA);
    await requestChecks(second);
    await expect(documentStatus(second, 'СНИЛС')).toHaveText('Подтверждено', { timeout: 20_000 });
    await second.getByRole('button', { name: 'Привязать' }).click();
    await second.getByLabel('Электронная почта ребёнка').fill(teenContacts.email);
    await second.getByLabel('Подтверждаю, что учётная запись принадлежит моему ребёнку').check();
    await second.getByRole('button', { name: 'Продолжить' }).click();
    const secondCode = (await second.locator('.link-code').innerText()).trim();
    await teen.context().clearCookies();
    await signIn(teen, teenContacts.email);
    await expect(teen).toHaveURL(/\/profile#link$/);
    await waitForHydration(teen);
    await teen.getByLabel('Код привязки').fill(secondCode);
    await teen.getByRole('button', { name: 'Привязать' }).click();
    await expect(teen.getByText('Учётная запись привязана к учётной записи родителя')).toBeVisible();
    await expect(teen.locator('#link li')).toHaveCount(2);

    // The first parent is told. The notice travels through the outbox behind the e-mails of
    // this and the other journeys, and «Уведомления» loads once: look again until it is there.
    await expect(async () => {
      await page.goto('/notifications');
      await expect(page.getByRole('heading', { name: /Второй родитель привязал учётную запись ребёнка/ })).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expectNoAxeViolations(page);
    expect(problems).toEqual([]);
  });
});
