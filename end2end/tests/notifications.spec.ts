import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, noHorizontalOverflow, waitForHydration, watchConsole } from './helpers';
import { PETER, addChild, confirmedParent, requestChecks } from './family-helpers';

// The notification centre: a parent whose mail server refuses (the development mailbox plays it)
// gets a notice of the child's check; the header's unread count appears without a reload;
// «История уведомлений» shows the e-mail «Отклонено» with the reason; the mail server accepts
// again and «Отправить повторно» delivers it, followed live; the settings matrix with push, a
// browser that cannot subscribe told why, and the weekly summary saved.

async function mailboxRefuses(page: Page, email: string, refuse: boolean) {
  await page.goto('/dev/mailbox');
  await waitForHydration(page);
  const refusals = page.getByRole('region', { name: 'Недоставка' });
  if (refuse) {
    await refusals.getByLabel('Адрес электронной почты или номер телефона').fill(email);
    await refusals.getByRole('button', { name: 'Отклонять сообщения' }).click();
    await expect(refusals.getByRole('listitem').filter({ hasText: email })).toBeVisible();
  } else {
    await refusals.getByRole('button', { name: `Снова принимать ${email}` }).click();
    await expect(refusals.getByRole('listitem').filter({ hasText: email })).toHaveCount(0);
  }
}

test.describe('Уведомления', () => {
  test.slow();

  test('a refused e-mail is in the history and «Отправить повторно» delivers it; the matrix with push', async ({ page }, info) => {
    const problems = watchConsole(page);
    const shot = async (name: string) => {
      if (process.env.SCREENSHOTS_DIR) await page.screenshot({ path: `${process.env.SCREENSHOTS_DIR}/notify-${info.project.name}-${name}.png`, fullPage: true });
    };
    const parent = await confirmedParent(page);
    await mailboxRefuses(page, parent.email, true);
    // Everything so far read: no count in the header.
    await page.goto('/notifications');
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 2, name: 'Учётная запись создана' })).toBeVisible();
    const badge = page.getByTestId('unread-count');
    await expect(badge).toHaveCount(0);

    // Anna is on no birth record under this СНИЛС: the check ends with a notice, by e-mail and in
    // the personal account (the defaults for «Регистрация нового документа»).
    await addChild(page, PETER);
    await requestChecks(page);
    // The count appears without a reload when the check's notice arrives.
    await expect(badge).toBeVisible({ timeout: 45_000 });
    await expect(badge).toHaveText(/^[1-9]/);

    // «История уведомлений», filtered to the refused e-mails.
    await page.goto('/notifications');
    await waitForHydration(page);
    await expect(badge).toHaveCount(0);
    await page.getByRole('link', { name: 'История уведомлений' }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'История уведомлений' })).toBeVisible();
    await waitForHydration(page);
    await page.getByLabel('Канал').selectOption({ label: 'Электронная почта' });
    await page.getByLabel('Статус').selectOption({ label: 'Отклонено' });
    await page.getByRole('button', { name: 'Показать' }).click();
    await expect(page).toHaveURL(/channel=email/);
    const refused = page.locator('.notify-history__item').filter({ hasText: 'Запись о рождении не подтверждает' });
    await expect(refused).toHaveCount(1);
    await expect(refused.locator('.chip')).toHaveText('Отклонено');
    await expect(refused).toContainText('Причина: почтовый сервер получателя отклонил письмо');
    await expect(refused).toContainText(parent.email);
    await expectNoAxeViolations(page);
    await noHorizontalOverflow(page);
    await shot('history-refused');

    // The mail server accepts again; «Отправить повторно» from the whole e-mail history, followed
    // live to «Доставлено».
    await mailboxRefuses(page, parent.email, false);
    await page.goto('/notifications/history?channel=email');
    await waitForHydration(page);
    const sameSubject = page.locator('.notify-history__item').filter({ hasText: 'Запись о рождении не подтверждает' });
    await expect(sameSubject).toHaveCount(1);
    await sameSubject.getByRole('button', { name: 'Отправить повторно' }).click();
    await expect(sameSubject).toHaveCount(2);
    await expect(sameSubject.first().locator('.chip')).toHaveText('Доставлено', { timeout: 30_000 });
    await expect(sameSubject.nth(1)).toContainText('Отправлено повторно.');
    // A reload keeps it; the button is gone for good.
    await page.reload();
    await waitForHydration(page);
    await expect(sameSubject).toHaveCount(2);
    await expect(sameSubject.getByRole('button', { name: 'Отправить повторно' })).toHaveCount(0);
    await expectNoAxeViolations(page);
    await shot('history-resent');

    // «Настройки уведомлений»: the matrix has push; without a connected browser its boxes are
    // off; a browser that cannot subscribe is told why at the button.
    await page.goto('/notifications/settings');
    await waitForHydration(page);
    await expect(page.getByRole('columnheader', { name: 'Push-уведомления' })).toBeVisible();
    await expect(page.getByLabel('Регистрация нового документа — Push-уведомления')).toBeDisabled();
    await expect(page.getByText('Браузеры не подключены.')).toBeVisible();
    const sw = await page.request.get('/sw.js');
    expect(sw.status()).toBe(200);
    expect(sw.headers()['content-type']).toContain('javascript');
    expect((await page.request.get('/manifest.webmanifest')).status()).toBe(200);
    await page.getByRole('button', { name: 'Подключить этот браузер' }).click();
    // Told in Russian what the browser's refusal means, not in the browser's own words.
    await expect(page.locator('#push-connect')).toContainText(
      /Браузер не подключён: (уведомления для портала запрещены|браузер не смог|браузер отказал|этот браузер не поддерживает)/,
      { timeout: 20_000 },
    );
    await expect(page.locator('#push-connect')).not.toContainText(/failed|denied/i);
    // The weekly summary comes by e-mail only: other channels have no box.
    await page.getByLabel('Еженедельная сводка журнала активности — Электронная почта').check();
    await expect(page.getByLabel('Еженедельная сводка журнала активности — SMS')).toHaveCount(0);
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.getByText('Настройки сохранены.')).toBeVisible();
    await expectNoAxeViolations(page);
    await noHorizontalOverflow(page);
    // Nothing of the matrix is reached by scrolling sideways; on a phone each event is a card
    // with each channel named beside its box.
    expect(await page.locator('.table-scroll').evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
    if (info.project.name === 'phone') {
      const named = page.locator('label[for]').filter({ hasText: 'Электронная почта' }).first();
      expect((await named.boundingBox())?.width ?? 0).toBeGreaterThan(50);
    }
    await shot('settings');
    await page.reload();
    await waitForHydration(page);
    await expect(page.getByLabel('Еженедельная сводка журнала активности — Электронная почта')).toBeChecked();

    // Subscribing may log the browser's own refusal; nothing else may fail.
    expect(problems.filter((p) => !/push|service ?worker|registration/i.test(p))).toEqual([]);
  });
});
