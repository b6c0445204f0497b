import { createHmac } from 'node:crypto';
import { test, expect, type Page } from '@playwright/test';
import { e164, expectNoAxeViolations, mailboxMessage, uniqueContacts, uniqueSnils, waitForHydration, watchConsole } from './helpers';

/** RFC 6238 code for a base32 secret, `stepsAhead` 30-second steps from now. */
function totp(secret: string, stepsAhead = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + stepsAhead));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

async function fillRegistration(page: Page, contacts: { snils: string; phone: string; email: string }) {
  await page.getByLabel('Фамилия').fill('Иванова');
  await page.getByLabel('Имя', { exact: true }).fill('Анна');
  await page.getByLabel('Отчество (при наличии)').fill('Сергеевна');
  await page.getByLabel('Дата рождения').fill('05.03.1990');
  await page.getByLabel('СНИЛС').fill(contacts.snils);
  await page.getByLabel('Мобильный телефон').fill(contacts.phone);
  await page.getByLabel('Электронная почта').fill(contacts.email);
}

/** The code from the newest SMS to a phone, read in another tab so this page keeps its state. */
async function smsCodeInNewTab(page: Page, phone: string, startsWith: string): Promise<string> {
  const mailbox = await page.context().newPage();
  let code = '';
  await expect
    .poll(async () => {
      const body = await mailboxMessage(mailbox, e164(phone));
      code = body.startsWith(startsWith) ? body.match(/\d{6}/)![0] : '';
      return code;
    }, { timeout: 15_000 })
    .not.toBe('');
  await mailbox.close();
  return code;
}

async function signIn(page: Page, login: string, password: string) {
  await waitForHydration(page);
  await page.getByLabel('Телефон / Email / СНИЛС').fill(login);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
}

/** A registered account with e-mail and phone confirmed, signed in. */
async function registerAndConfirm(page: Page) {
  const contacts = uniqueContacts();
  await page.goto('/register');
  await waitForHydration(page);
  await fillRegistration(page, contacts);
  await page.getByLabel('Пароль', { exact: true }).fill('Kozlik-2026');
  await page.getByLabel('Повторите пароль').fill('Kozlik-2026');
  await page.getByLabel(/Даю согласие/).check();
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(page).toHaveURL(/\/account\/contacts$/);
  const code = await smsCodeInNewTab(page, contacts.phone, 'Код подтверждения');
  await waitForHydration(page);
  await page.getByLabel('Код из СМС').fill(code);
  await page.getByRole('button', { name: 'Подтвердить' }).click();
  await expect(page.locator('#phone-title')).toContainText('Подтверждён');
  return contacts;
}

test.describe('Учётная запись родителя', () => {
  test('register → confirm e-mail → confirm phone → sign out → sign in', async ({ page }) => {
    const problems = watchConsole(page);
    const contacts = uniqueContacts();
    await page.goto('/register');
    await waitForHydration(page);
    // The requirements are shown before anything is typed.
    await expect(page.locator('#password-rules li')).toHaveCount(6);
    await expectNoAxeViolations(page);

    await fillRegistration(page, contacts);
    await page.getByRole('button', { name: 'сгенерируйте' }).click();
    const password = await page.getByLabel('Пароль', { exact: true }).inputValue();
    expect(password).toHaveLength(16);
    await expect(page.getByLabel('Повторите пароль')).toHaveValue(password);
    // Generated passwords are shown so they can be saved; every rule is ticked.
    await expect(page.getByLabel('Пароль', { exact: true })).toHaveAttribute('type', 'text');
    await expect(page.locator('#password-rules .password-rules__rule--met')).toHaveCount(6);
    await page.getByRole('button', { name: 'Скрыть пароль' }).click();
    await expect(page.getByLabel('Пароль', { exact: true })).toHaveAttribute('type', 'password');
    await page.getByLabel(/Даю согласие/).check();
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();

    await expect(page).toHaveURL(/\/account\/contacts$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Подтверждение контактов');
    await expect(page.locator('header')).toContainText('Анна Иванова');
    // Until both contacts are confirmed, the page says by when: an unfinished registration is
    // removed after a week.
    await expect(page.getByText(/Подтвердите телефон и электронную почту до \d\d\.\d\d\.\d{4} включительно/)).toBeVisible();
    await expectNoAxeViolations(page);

    // E-mail: the link from the letter.
    const letter = await mailboxMessage(page, contacts.email);
    const link = letter.match(/http\S+token=\S+/)![0];
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'Электронная почта подтверждена' })).toBeVisible();
    await expectNoAxeViolations(page);
    // The same link again says it was used and offers a new one.
    await page.goto(link);
    await expect(page.getByText('Ссылка уже использована')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Отправить новую ссылку' })).toBeVisible();

    // Phone: a wrong code first, then the one from the SMS.
    const sms = await mailboxMessage(page, e164(contacts.phone));
    const code = sms.match(/\d{6}/)![0];
    await page.goto('/account/contacts');
    await waitForHydration(page);
    await expect(page.locator('#email-title')).toContainText('Подтверждён');
    const wrong = code === '000000' ? '111111' : '000000';
    await page.getByLabel('Код из СМС').fill(wrong);
    await page.getByRole('button', { name: 'Подтвердить' }).click();
    await expect(page.locator('#code-error')).toHaveText('Ошибка: Неверный код. Осталось попыток: 4');
    await expect(page.locator('#error-summary')).toBeFocused();
    await expectNoAxeViolations(page);
    await page.getByLabel('Код из СМС').fill(code);
    await page.getByRole('button', { name: 'Подтвердить' }).click();
    await expect(page.getByText('Телефон и электронная почта подтверждены')).toBeVisible();
    await expect(page.getByText(/включительно/)).toHaveCount(0);
    await expectNoAxeViolations(page);

    // Sign out, then in again by СНИЛС.
    await page.getByRole('button', { name: 'Выйти', exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.locator('header').getByRole('link', { name: 'Войти' })).toBeVisible();
    await waitForHydration(page);
    await page.getByLabel('Телефон / Email / СНИЛС').fill(contacts.snils);
    await page.getByLabel('Пароль').fill('Wrong-password-1');
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await expect(page.locator('#error-summary')).toBeFocused();
    await expect(page.locator('#error-summary')).toContainText('Неверный логин или пароль');
    await expectNoAxeViolations(page);
    await page.getByLabel('Пароль').fill(password);
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator('header')).toContainText('Анна Иванова');
    // A reload keeps the session: it lives on the server, not in the page.
    await page.reload();
    await expect(page.locator('header')).toContainText('Анна Иванова');

    expect(problems.filter((p) => !/status of (409|422) /.test(p))).toEqual([]);
  });

  test('recover the password with an SMS code, then protect the account with an authenticator app', async ({ page }) => {
    test.setTimeout(120_000);
    const problems = watchConsole(page);
    const contacts = await registerAndConfirm(page);
    await page.getByRole('button', { name: 'Выйти', exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await waitForHydration(page);
    await page.getByRole('link', { name: 'Восстановить' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Восстановление доступа');
    await waitForHydration(page);
    await expectNoAxeViolations(page);
    await page.getByLabel('Телефон / Email / СНИЛС').fill(contacts.phone);
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Введите код из СМС');
    const code = await smsCodeInNewTab(page, contacts.phone, 'Код для восстановления доступа');
    await page.getByLabel('Код из СМС').fill(code);
    const newPassword = 'Novyi-Parol-2027';
    await page.getByLabel('Пароль', { exact: true }).fill(newPassword);
    await page.getByLabel('Повторите пароль').fill('Novyi-Parol-2028');
    await page.getByRole('button', { name: 'Сохранить пароль' }).click();
    await expect(page.locator('#password_repeat-error')).toContainText('Пароли не совпадают');
    await expectNoAxeViolations(page);
    await page.getByLabel('Повторите пароль').fill(newPassword);
    await page.getByRole('button', { name: 'Сохранить пароль' }).click();
    await expect(page.getByRole('heading', { name: 'Пароль изменён' })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await signIn(page, contacts.email, newPassword);
    await expect(page).toHaveURL(/\/$/);

    // Enable an authenticator app in the profile.
    await page.goto('/profile');
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Подключить приложение-аутентификатор' }).click();
    // Binding an app needs the password again, even in a fresh session: a stolen session cannot.
    const reauth = page.locator('.reauth');
    await expect(reauth.getByText('Подтвердите, что это вы')).toBeVisible();
    await reauth.getByLabel('Пароль', { exact: true }).fill(newPassword);
    await reauth.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.getByRole('img', { name: 'QR-код для подключения приложения-аутентификатора' })).toBeVisible();
    await expectNoAxeViolations(page);
    const secret = await page.locator('#totp-secret').innerText();
    await page.getByLabel('Код из приложения').fill(totp(secret));
    await page.getByRole('button', { name: 'Подтвердить' }).click();
    await expect(page.getByRole('heading', { name: 'Резервные ключи' })).toBeVisible();
    await expect(page.locator('.backup-codes li')).toHaveCount(10);
    const backupCode = await page.locator('.backup-codes li').first().innerText();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Я сохранил ключи' }).click();
    await expect(page.getByText('Вход по паролю и коду из приложения-аутентификатора')).toBeVisible();

    // Sign out and in: the password, then the code from the app.
    await page.getByRole('button', { name: 'Выйти', exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await signIn(page, contacts.email, newPassword);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Подтвердите вход');
    await page.getByLabel('Код из приложения').fill('000000');
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await expect(page.locator('#code-error')).toContainText('Неверный код. Осталось попыток: 4');
    await expectNoAxeViolations(page);
    // The code that switched the app on was used; the next one (one step of clock skew is allowed) works.
    await page.getByLabel('Код из приложения').fill(totp(secret, 1));
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator('header')).toContainText('Анна Иванова');
    // The browser logs the refusals this journey provokes (wrong code, used link, wrong
    // password); anything else is a problem.
    expect(problems.filter((p) => !/status of (409|422) /.test(p))).toEqual([]);
  });

  test('registration errors are shown at each field and in a focused summary', async ({ page }) => {
    await page.goto('/register');
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    const summary = page.locator('#error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText([
      'Введите фамилию',
      'Введите имя',
      'Введите дату',
      'Введите СНИЛС',
      'Введите номер мобильного телефона',
      'Введите адрес электронной почты',
      'Придумайте пароль',
      'Повторите пароль',
      'Чтобы зарегистрироваться, дайте согласие на обработку персональных данных',
    ]);
    await expectNoAxeViolations(page);

    await page.getByLabel('Дата рождения').fill('01.01.2020');
    await page.getByLabel('Пароль', { exact: true }).fill('short');
    await page.getByLabel('СНИЛС').focus();
    await expect(page.locator('#birth_date-error')).toContainText('с 14 лет');
    await expect(page.locator('#password-error')).toContainText('8 и более символов');
    await summary.getByRole('link', { name: 'Введите СНИЛС' }).click();
    await expect(page.getByLabel('СНИЛС')).toBeFocused();
  });

  test('an e-mail or phone already in use is refused without saying whose', async ({ page, browser }) => {
    const contacts = uniqueContacts();
    const first = await browser.newPage();
    await first.goto('/register');
    await waitForHydration(first);
    await fillRegistration(first, contacts);
    await first.getByLabel('Пароль', { exact: true }).fill('Kozlik-2026');
    await first.getByLabel('Повторите пароль').fill('Kozlik-2026');
    await first.getByLabel(/Даю согласие/).check();
    await first.getByRole('button', { name: 'Зарегистрироваться' }).click();
    await expect(first).toHaveURL(/\/account\/contacts$/);
    await first.close();

    await page.goto('/register');
    await waitForHydration(page);
    await fillRegistration(page, { ...contacts, snils: uniqueSnils() });
    await page.getByLabel('Пароль', { exact: true }).fill('Kozlik-2026');
    await page.getByLabel('Повторите пароль').fill('Kozlik-2026');
    await page.getByLabel(/Даю согласие/).check();
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    await expect(page.locator('#error-summary')).toBeFocused();
    await expect(page.locator('#phone-error')).toContainText('Этот номер уже используется в другой учётной записи');
    await expect(page.locator('#email-error')).toContainText('Этот адрес уже используется в другой учётной записи');
    await expect(page).toHaveURL(/\/register$/);
    await expectNoAxeViolations(page);
  });

  test('pages for signed-in users ask to sign in first', async ({ page }) => {
    await page.goto('/account/contacts');
    await expect(page.getByText('Чтобы продолжить, войдите в учётную запись.')).toBeVisible();
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in\?next=\/account\/contacts$/);
    await expectNoAxeViolations(page);
  });
});
