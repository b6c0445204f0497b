import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** The app sets data-hydrated on <body> once the WASM bundle has taken over the page. */
export async function waitForHydration(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/** WCAG 2.2 A and AA rules of axe-core; a page passes with no violations at all. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary).toEqual([]);
}

/** Collects console errors and CSP violations, which must stay empty. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  return problems;
}

/** A valid СНИЛС that no other test uses: random first nine digits and their checksum. */
export function uniqueSnils(): string {
  const digits = Array.from({ length: 9 }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 8) : Math.floor(Math.random() * 10)));
  let sum = digits.reduce((acc, d, i) => acc + d * (9 - i), 0);
  let check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101;
  if (check === 100) check = 0;
  const d = digits.join('');
  return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)} ${String(check).padStart(2, '0')}`;
}

export function uniqueContacts() {
  const n = String(Math.floor(Math.random() * 1e7)).padStart(7, '0');
  return {
    snils: uniqueSnils(),
    phone: `+7 9${n.slice(0, 2)} ${n.slice(2, 5)}-${n.slice(5, 7)}-${String(Math.floor(Math.random() * 100)).padStart(2, '0')}`,
    email: `parent${n}@mail.ru`,
  };
}


export function e164(phone: string): string {
  return '+' + phone.replace(/\D/g, '');
}

/** The newest message to a recipient in the development mailbox, once delivered. */
export async function mailboxMessage(page: Page, recipient: string): Promise<string> {
  let body = '';
  await expect
    .poll(
      async () => {
        await page.goto('/dev/mailbox');
        const message = page.locator(`[data-recipient="${recipient}"]`).first();
        if ((await message.count()) === 0) return '';
        const history = await message.locator('.mailbox__history').innerText();
        if (!history.includes('Доставлено')) return '';
        body = await message.locator('.mailbox__body').innerText();
        return body;
      },
      { timeout: 15_000 },
    )
    .not.toBe('');
  return body;
}

/** A one-page PDF with a line of text (readable at any size), its cross-reference table exact. */
export function textPdf(text: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>',
    '<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = `BT /F1 24 Tf 100 700 Td (${text}) Tj ET`;
  objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** No element reaches past the right edge of the viewport; the ones that do are named. */
export async function noHorizontalOverflow(page: Page) {
  const offenders = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll('body *'))
      .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !e.closest('.table-scroll'))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} «${(e.textContent ?? '').trim().slice(0, 40)}»`);
  });
  expect(offenders).toEqual([]);
}
