// One headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) per test run,
// and the small page helpers every flow uses. Helpers wait for selectors and URLs; none sleeps.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const PASSWORD = 'correct horse battery staple';

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A fresh browser context (its own cookies) on `baseUrl`. Every page of it records dialogs
 * and page errors, and starts with `window.__xss = 0`, the trap the XSS payloads write to.
 */
export async function newContext(browser, baseUrl, opts = {}) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1280, height: 900 },
    serviceWorkers: 'block',
    ...opts,
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  context.dialogs = [];
  context.pageErrors = [];
  await context.addInitScript(() => {
    window.__xss = 0;
    // Injected markup with inline script would also be stopped by the CSP: count that too.
    document.addEventListener('securitypolicyviolation', () => { window.__xss += 1; });
  });
  context.on('page', (p) => watch(context, p));
  return context;
}

function watch(context, page) {
  page.on('dialog', (d) => { context.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => context.pageErrors.push(String(e)));
}

export function uniqueEmail(prefix = 'e2e') {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.test`;
}

/** Signs up through the form; lands on the dashboard. */
export async function signUp(page, { email, name, locale = 'en', password = PASSWORD }) {
  await page.goto('/signup');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.fill('input[name=display_name]', name);
  await page.selectOption('select[name=locale]', locale);
  await Promise.all([page.waitForURL('**/dashboard'), page.click('form button[type=submit]')]);
}

export async function logIn(page, email, password = PASSWORD) {
  await page.goto('/login');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL('**/dashboard**'), page.click('form button[type=submit]')]);
}

/** Calls the JSON API as the signed-in browser user (session cookie + the page's CSRF token). */
export async function api(page, method, path, body) {
  const csrf = await page.evaluate(() => document.body.dataset.csrf);
  assert.ok(csrf, 'the page carries a CSRF token');
  const resp = await page.request.fetch(`/api/v1${path}`, {
    method,
    headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await resp.text();
  assert.ok(resp.ok(), `${method} ${path}: ${resp.status()} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Profiles of the signed-in user, by name. */
export async function profileIds(page) {
  const list = await api(page, 'GET', '/profiles');
  return Object.fromEntries(list.map((p) => [p.name, p.id]));
}

/** Creates a folder through the tree page's "New folder" form. */
export async function createFolder(page, name, profileId) {
  await page.goto('/tree');
  const form = page.locator('form[action="/tree/folders"]');
  await form.locator('input[name=name]').fill(name);
  if (profileId) await form.locator('select[name=profile_id]').selectOption(String(profileId));
  await Promise.all([page.waitForURL('**/tree**'), form.locator('button[type=submit]').click()]);
  await page.locator('.tree summary .fname', { hasText: name }).first().waitFor();
}

/** The open item modal. */
export const modal = (page) => page.locator('.modal');

/**
 * Fills the item form open in the modal. `fields`: title, url, memo, kind ('bookmark' |
 * 'reading_list'), profile, folder, category (option labels), tags (names of existing tags
 * to tick), newTags, newTagColor, status, priority, start, end, reminder ('YYYY-MM-DDTHH:MM'),
 * favorite.
 */
export async function fillItemForm(page, f) {
  const form = modal(page).locator('form.item-form');
  await form.waitFor();
  if (f.title !== undefined) await form.locator('input[name=title]').fill(f.title);
  if (f.url !== undefined) await form.locator('input[name=url]').fill(f.url);
  if (f.memo !== undefined) await form.locator('textarea[name=memo]').fill(f.memo);
  if (f.kind) await form.locator(`input[name=kind][value=${f.kind}]`).check();
  if (f.profile) await form.locator('select[name=profile_id]').selectOption({ label: f.profile });
  if (f.folder) await form.locator('select[name=folder_id]').selectOption({ label: f.folder });
  if (f.category) await form.locator('select[name=category_id]').selectOption({ label: f.category });
  for (const t of f.tags || []) await form.locator('fieldset.tags label.check', { hasText: t }).locator('input').check();
  if (f.newTags !== undefined) await form.locator('input[name=new_tags]').fill(f.newTags);
  if (f.newTagColor) await form.locator('input[name=new_tag_color]').fill(f.newTagColor);
  if (f.status) await form.locator('select[name=status]').selectOption(f.status);
  if (f.priority) await form.locator('select[name=priority]').selectOption(f.priority);
  if (f.start !== undefined) await form.locator('input[name=schedule_start]').fill(f.start);
  if (f.end !== undefined) await form.locator('input[name=schedule_end]').fill(f.end);
  if (f.reminder !== undefined) await form.locator('input[name=reminder_at]').fill(f.reminder);
  if (f.favorite !== undefined) await form.locator('input[name=favorite]').setChecked(f.favorite);
  return form;
}

/** Opens "+ New item" on the current page, fills the form, submits; resolves to the new id. */
export async function createItem(page, fields) {
  await page.locator('.page-head a[data-modal], header a[data-modal]').first().click();
  await page.waitForURL(/\/items\/new/);
  const form = await fillItemForm(page, fields);
  await Promise.all([
    page.waitForURL(/\/items\/\d+(\?|$)/),
    form.locator('button[type=submit]').click(),
  ]);
  await modal(page).locator('h2#modal-title').waitFor();
  return Number(new URL(page.url()).pathname.split('/')[2]);
}

/** Titles of the items in the list (in order). */
export async function listTitles(page, scope = '#list') {
  return page.locator(`${scope} .item-title`).allTextContents();
}

/** Fails when an XSS payload ran (the trap variable or a dialog). */
export async function assertNoXss(page, where) {
  const trapped = await page.evaluate(() => window.__xss);
  assert.equal(trapped, 0, `an XSS payload ran on ${where}`);
  assert.deepEqual(page.context().dialogs, [], `a dialog opened on ${where}`);
}

/** Runs `action` (a form submission) and waits until a new document has replaced the page. */
export async function newDocumentAfter(page, action) {
  await page.evaluate(() => { window.__oldDocument = true; });
  await action();
  await page.waitForFunction(() => window.__oldDocument === undefined && document.readyState !== 'loading');
}

/** Where the middle of `locator` is on the screen (scrolled into view first). */
export async function centre(locator) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  assert.ok(box, 'the element is shown');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Drags with a finger, as a phone's touch screen does: real touch events through the DevTools
 * protocol (Chromium turns them into touch and pointer events, like a phone's), a press held
 * past the long-press delay that starts a drag (a plain swipe scrolls), moves in small steps,
 * and the lift. `from` and `to` are points ({x, y}, CSS pixels of the viewport). The hold is
 * the one sleep of these helpers: the press is measured in time.
 */
export async function touchDrag(page, from, to, { hold = 450, steps = 15 } = {}) {
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, p) => cdp.send('Input.dispatchTouchEvent', {
    type, touchPoints: p ? [{ x: Math.round(p.x), y: Math.round(p.y), radiusX: 4, radiusY: 4, force: 1, id: 1 }] : [],
  });
  try {
    await touch('touchStart', from);
    await page.waitForTimeout(hold);
    for (let i = 1; i <= steps; i++) {
      await touch('touchMove', { x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps });
      await page.waitForTimeout(25);
    }
    await touch('touchMove', to);
    await touch('touchEnd');
  } finally {
    await cdp.detach();
  }
}
