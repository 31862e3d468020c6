// Stored XSS in every text field, and CSRF on forms.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  api, assertNoXss, createFolder, createItem, modal, newContext, profileIds, signUp, uniqueEmail,
} from './browser.js';

/** A payload that runs script if it is ever parsed as markup (long fields). */
const long = (label) => `${label} "><img src=x onerror=alert(1)><script>window.__xss=1</script>`;
/** The same for fields of at most 50 characters. */
const short = (label) => `${label}<img src=x onerror=alert(1)>`;

export function security(env) {
  describe('security', () => {
    let context, page;
    const v = {
      name: long('Name'),
      title: long('Title'),
      url: 'https://example.com/?q="><img src=x onerror=alert(1)>',
      memo: `Memo line one\n${long('Memo')}`,
      tag: short('Tag'),
      category: short('Cat'),
      folder: long('Folder'),
      profile: short('Prof'),
    };

    before(async () => {
      context = await newContext(env.browser, env.server.baseUrl);
      page = await context.newPage();
    });
    after(async () => { await context.close(); });

    /** Nothing ran, no markup from the payloads reached the DOM. */
    async function clean(where) {
      await assertNoXss(page, where);
      const injected = await page.evaluate(() => document.querySelectorAll('img[src="x"], script:not([src])').length);
      assert.equal(injected, 0, `markup from a payload reached the DOM on ${where}`);
    }
    const text = (selector) => page.locator(selector).first().textContent();

    test('stored XSS in every text field is shown as text and never runs', async () => {
      await signUp(page, { email: uniqueEmail('xss'), name: v.name });
      assert.equal(await text('header details.dropdown.end > summary'), v.name);
      await clean('the dashboard');
      await api(page, 'POST', '/profiles', { name: v.profile });
      await api(page, 'POST', '/categories', { name: v.category, color: '#0f766e' });
      await createFolder(page, v.folder);
      assert.equal(await text('.tree summary > .fname'), v.folder);
      await clean('the tree');

      await page.goto('/items');
      const id = await createItem(page, {
        title: v.title, url: v.url, memo: v.memo, profile: 'Private', folder: `Private: ${v.folder}`,
        category: v.category, newTags: v.tag, newTagColor: '#dc2626', favorite: true,
        start: '2026-11-10T09:00', end: '2026-11-11T09:00', reminder: '2026-11-09T08:00',
      });
      const m = modal(page);
      assert.equal((await m.locator('#modal-title').textContent()).replace('★', '').trim(), v.title);
      assert.equal(await m.locator('.url a').textContent(), v.url);
      assert.equal(await m.locator('.memo').textContent(), v.memo);
      assert.ok((await m.locator('dl.props').textContent()).includes(v.tag));
      assert.ok((await m.locator('dl.props').textContent()).includes(v.category));
      assert.ok((await m.locator('dl.props').textContent()).includes(v.folder));
      await clean('the item modal');

      // A javascript: URL is refused, or at least never becomes a link.
      await page.goto('/items/new');
      await modal(page).locator('input[name=title]').fill('js url');
      await modal(page).locator('input[name=url]').evaluate((i) => { i.type = 'text'; i.value = 'javascript:alert(1)'; });
      await modal(page).locator('button[type=submit]').click();
      await page.waitForLoadState('load');
      assert.equal(await page.locator('a[href^="javascript:" i]').count(), 0, 'no javascript: link');
      await clean('the form with a javascript: URL');

      const pages = [
        ['/dashboard', v.title], ['/items', v.title], ['/items?layout=cards', v.title],
        [`/items/${id}`, v.memo], [`/items/${id}/edit`, null], ['/favorites', v.title],
        ['/groups', v.title], ['/groups?by=tag', v.tag], ['/groups?by=category', v.category],
        ['/tree', v.folder], ['/calendar?month=2026-11', v.title], ['/calendar?week=2026-11-10', v.title],
        ['/settings', null], ['/settings/profiles', null], ['/settings/categories', null],
        ['/settings/tags', null],
      ];
      for (const [url, shown] of pages) {
        await page.goto(url);
        if (shown) {
          const body = await page.locator('body').textContent();
          assert.ok(body.includes(shown), `${url} shows ${JSON.stringify(shown)} as text`);
        }
        // The header shows the profile and display name as text on every page.
        const header = await page.locator('header').textContent();
        assert.ok(header.includes(v.profile) && header.includes(v.name), `${url} header`);
        await clean(url);
      }
      // The edit form gives every value back verbatim.
      await page.goto(`/items/${id}/edit`);
      const form = modal(page).locator('form.item-form');
      assert.equal(await form.locator('input[name=title]').inputValue(), v.title);
      assert.equal(await form.locator('input[name=url]').inputValue(), v.url);
      assert.equal(await form.locator('textarea[name=memo]').inputValue(), v.memo);
      await page.goto('/settings');
      assert.equal(await page.locator('input[name=display_name]').inputValue(), v.name);
      // The settings lists give names back verbatim in their forms, and on the delete page.
      for (const [url, name] of [['/settings/profiles', v.profile], ['/settings/categories', v.category], ['/settings/tags', v.tag]]) {
        await page.goto(url);
        const names = await page.locator('ul.organize input[name=name]').evaluateAll((l) => l.map((i) => i.value));
        assert.ok(names.includes(name), `${url} gives ${JSON.stringify(name)} back`);
        await page.locator('ul.organize li').nth(names.indexOf(name)).locator('a.danger').click();
        await page.waitForURL('**/delete');
        assert.ok((await page.locator('main h1').textContent()).includes(name), `${url}: the delete page names it as text`);
        await clean(`${url} (delete)`);
      }
      await clean('the settings');
    });

    test('a form posted without its CSRF token is refused', async () => {
      await page.goto('/items');
      const { Private } = await profileIds(page);
      const before = await page.locator('#list .item-title').count();
      const noToken = await page.request.post('/items', { form: { title: 'forged', kind: 'bookmark', profile_id: String(Private) } });
      assert.equal(noToken.status(), 403);
      const wrong = await page.request.post('/items', { form: { _csrf: 'not-the-token', title: 'forged', kind: 'bookmark', profile_id: String(Private) } });
      assert.equal(wrong.status(), 403);
      const settings = await page.request.post('/settings', { form: { display_name: 'forged', locale: 'en', time_zone: 'UTC' } });
      assert.equal(settings.status(), 403);
      const logout = await page.request.post('/logout', { form: {} });
      assert.equal(logout.status(), 403);
      const apiCall = await page.request.post('/api/v1/profiles', { data: { name: 'forged' } });
      assert.equal(apiCall.status(), 403, 'a cookie-authenticated API call needs X-CSRF-Token');
      // The refusal is a page a person can read, and nothing changed.
      await page.goto('/items');
      assert.equal(await page.locator('#list .item-title').count(), before);
      assert.equal((await page.locator('#list').textContent()).includes('forged'), false);
      assert.notEqual(await text('header details.dropdown.end > summary'), 'forged');
      const html = await noToken.text();
      assert.match(html, /403/);

      // The log-in form is protected by its double-submit cookie.
      const anon = await newContext(env.browser, env.server.baseUrl);
      try {
        const p = await anon.newPage();
        const r = await p.request.post('/login', { form: { email: 'a@example.test', password: 'x'.repeat(12) } });
        assert.equal(r.status(), 403);
        await p.goto('/login');
        const viaForm = await p.request.post('/signup', { form: { email: 'b@example.test', password: 'x'.repeat(12), locale: 'en' } });
        assert.equal(viaForm.status(), 403);
      } finally {
        await anon.close();
      }
    });
  });
}
