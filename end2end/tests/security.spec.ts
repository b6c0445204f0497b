import { test, expect } from '@playwright/test';
import { waitForHydration, watchConsole } from './helpers';

test('pages carry a strict CSP that still lets the WASM bundle hydrate', async ({ page }) => {
  const problems = watchConsole(page);
  const response = await page.goto('/');
  const headers = response!.headers();
  const csp = headers['content-security-policy'];
  expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9_-]+' 'strict-dynamic' 'wasm-unsafe-eval'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
  await waitForHydration(page);
  expect(problems.filter((p) => p.includes('Content Security Policy'))).toEqual([]);
});

test('the bundle is served compressed with a long cache lifetime', async ({ page }) => {
  const bundle: { url: string; headers: Record<string, string> }[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/pkg/')) bundle.push({ url: r.url(), headers: r.headers() });
  });
  await page.goto('/');
  await waitForHydration(page);
  const wasm = bundle.find((r) => r.url.endsWith('.wasm'));
  expect(wasm, 'WASM bundle requested').toBeTruthy();
  expect(wasm!.url).toMatch(/portal\.[A-Za-z0-9_-]+\.wasm$/);
  expect(wasm!.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(wasm!.headers['content-encoding']).toMatch(/br|gzip/);
});

test('the server refuses an invalid question even without the browser checks', async ({ request }) => {
  const response = await request.post('/api/support/question', {
    form: { snils: '112-233-445 96', email: 'anna@mail.ru', text: 'Вопрос' },
  });
  expect(response.status()).toBe(422);
  const body = await response.json();
  expect(body.code).toBe('invalid');
  expect(body.details).toEqual([
    { field: 'snils', code: 'snils.checksum', message: 'СНИЛС указан с ошибкой — проверьте цифры' },
  ]);
});
