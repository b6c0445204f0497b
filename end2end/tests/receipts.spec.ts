import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, waitForHydration, watchConsole } from './helpers';

// «Проверить квитанцию», as anyone holding a receipt uses it. A genuine receipt is checked at the
// end of the consent journey (child-accounts.spec.ts); here: wrong input and a forged signature.
test.describe('Проверить квитанцию', () => {
  test('wrong input is refused at its field; a forged signature is not confirmed', async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto('/receipts/check');
    await waitForHydration(page);
    await expectNoAxeViolations(page);

    // Nothing typed: the summary takes focus and names both fields.
    await page.getByRole('button', { name: 'Проверить' }).click();
    const summary = page.locator('#error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText(['Введите номер квитанции', 'Введите подпись с квитанции']);
    await expectNoAxeViolations(page);

    // A malformed number is named as such, and the error goes as soon as it is right.
    const number = page.getByLabel('Номер квитанции');
    await number.fill('C-2026-42');
    await number.blur();
    await expect(page.locator('#number-error')).toContainText('например C-2026-0000042');
    await number.fill('С-2026-0000001'); // a Cyrillic «С», as people type it
    await expect(page.locator('#number-error')).toBeHidden();

    // A well-formed but forged signature: the portal did not issue it, and says so.
    await page.getByLabel('Подпись').fill('A'.repeat(86));
    await page.getByRole('button', { name: 'Проверить' }).click();
    await expect(page).toHaveURL(/\/receipts\/check\?number=C-2026-0000001&signature=A{86}/);
    await expect(page.getByRole('heading', { name: 'Квитанция не подтверждена' })).toBeVisible();
    await expectNoAxeViolations(page);

    // The address carries the check: a reload asks again and answers the same.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Квитанция не подтверждена' })).toBeVisible();
    await expect(page.getByLabel('Номер квитанции')).toHaveValue('C-2026-0000001');

    // A tampered address (as from a damaged QR code) is refused with the reason.
    await page.goto('/receipts/check?number=C-2026-0000001&signature=short');
    await expect(page.getByRole('heading', { name: 'Квитанция не проверена' })).toBeVisible();
    await expect(page.getByText('Подпись — 86 знаков')).toBeVisible();

    // The public key is published.
    const key = await page.request.get('/receipts/public-key.pem');
    expect(await key.text()).toContain('-----BEGIN PUBLIC KEY-----');
    expect(problems).toEqual([]);
  });
});
