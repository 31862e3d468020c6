// Paging a long list: with JavaScript the next page is appended as it scrolls into view
// (htmx); without JavaScript every page still works: search by the form, the modal by its
// link, ↑/↓ moves, the next-page link.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  api, listTitles, logIn, modal, newContext, profileIds, signUp, uniqueEmail,
} from './browser.js';

export function noJs(env) {
  describe('paging, and without JavaScript', () => {
    const email = uniqueEmail('nojs');
    let folder;

    before(async () => {
      const context = await newContext(env.browser, env.server.baseUrl);
      const page = await context.newPage();
      await signUp(page, { email, name: 'Plain Test' });
      const profiles = await profileIds(page);
      folder = await api(page, 'POST', '/folders', { profile_id: profiles.Private, name: 'Shelf' });
      for (let n = 0; n < 55; n++) {
        const title = `row ${String(n).padStart(2, '0')}`;
        await api(page, 'POST', '/items', { profile_id: profiles.Private, title, folder_id: n < 3 ? folder.id : null });
      }
      await context.close();
    });

    test('with JavaScript, the next page is appended as it scrolls into view', async () => {
      const context = await newContext(env.browser, env.server.baseUrl);
      const page = await context.newPage();
      await logIn(page, email);
      await page.goto('/items?sort=title&order=asc');
      assert.equal((await listTitles(page)).length, 50);
      await page.evaluate(() => { window.__samePage = true; });
      await page.locator('#list a[rel=next]').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.querySelectorAll('#list .item-title').length === 55);
      const titles = await listTitles(page);
      assert.deepEqual(titles.slice(48), ['row 48', 'row 49', 'row 50', 'row 51', 'row 52', 'row 53', 'row 54']);
      assert.equal(await page.locator('#list a[rel=next]').count(), 0, 'the last page has no next link');
      assert.equal(await page.locator('#list ul.items').count(), 1, 'one list');
      assert.ok(await page.evaluate(() => window.__samePage === true), 'no reload');
      // A modal link on a page with no list under it (the header's "+ New item" on the
      // dashboard) opens the modal's own page.
      await page.goto('/dashboard');
      await page.locator('header a[data-modal]').click();
      await page.waitForURL(/\/items\/new$/);
      await modal(page).locator('form.item-form').waitFor();
      assert.deepEqual(context.pageErrors, []);
      await context.close();
    });

    test('without JavaScript: search, the modal, ↑/↓ and the next page', async () => {
      const context = await newContext(env.browser, env.server.baseUrl, { javaScriptEnabled: false });
      const page = await context.newPage();
      await logIn(page, email);
      // Search by the form.
      await page.goto('/items');
      await page.locator('input[name=q]').fill('row 07');
      await newDocumentAfterPlain(page, () => page.getByRole('button', { name: 'Search', exact: true }).click());
      assert.match(page.url(), /[?&]q=row\+07/);
      assert.deepEqual(await listTitles(page), ['row 07']);
      // The modal by its link: a page of its own, closed by its × link.
      await newDocumentAfterPlain(page, () => page.locator('#list .item-title', { hasText: 'row 07' }).click());
      assert.match(new URL(page.url()).pathname, /^\/items\/\d+$/);
      await modal(page).locator('#modal-title', { hasText: 'row 07' }).waitFor();
      await newDocumentAfterPlain(page, () => modal(page).locator('a.modal-close').click());
      assert.equal(new URL(page.url()).pathname, '/items');
      assert.equal(await modal(page).count(), 0);
      // The next-page link pages through the list.
      await page.goto('/items?sort=title&order=asc');
      assert.equal((await listTitles(page)).length, 50);
      await newDocumentAfterPlain(page, () => page.locator('#list a[rel=next]').click());
      assert.deepEqual(await listTitles(page), ['row 50', 'row 51', 'row 52', 'row 53', 'row 54']);
      // ↓ in a manually sorted list posts its form and comes back to the list.
      await page.goto(`/items?folder_id=${folder.id}&sort=manual`);
      const before = await listTitles(page);
      assert.equal(before.length, 3);
      await newDocumentAfterPlain(page, () => page.getByRole('button', { name: `Down: ${before[0]}`, exact: true }).click());
      assert.equal(new URL(page.url()).pathname, '/items');
      assert.deepEqual(await listTitles(page), [before[1], before[0], before[2]]);
      await context.close();
    });
  });
}

/** `newDocumentAfter` for a page without JavaScript: waits for the URL or document to change. */
async function newDocumentAfterPlain(page, action) {
  await Promise.all([page.waitForEvent('load'), action()]);
}
