// The settings pages that manage profiles, categories and tags, as a person uses them: in
// English and in Japanese, with the effects checked where they show (the header's profile
// switch, the item form's tag colours) and deletes that say first what they will do.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, newContext, signUp, uniqueEmail } from './browser.js';

/** Submits the form `form` and waits for the page it answers with. */
async function submit(page, form) {
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').last().click()]);
}

/** The names of the rows of a settings list, in order. */
async function rowNames(page) {
  return page.locator('ul.organize li input[name=name]').evaluateAll((inputs) => inputs.map((i) => i.value));
}

const row = (page, name) => page.locator('ul.organize li').filter({ has: page.locator(`input[name=name][value="${name}"]`) });

export function organize(env) {
  describe('profiles, categories and tags in settings', () => {
    let context, page;

    before(async () => {
      context = await newContext(env.browser, env.server.baseUrl);
      page = await context.newPage();
      await signUp(page, { email: uniqueEmail('org'), name: 'Org Tester' });
    });
    after(async () => {
      assert.deepEqual(context.pageErrors, [], 'no script errors on any page');
      await context.close();
    });

    test('profiles: create, rename, re-order (the header follows), delete after confirming', async () => {
      await page.goto('/settings');
      await Promise.all([page.waitForURL('**/settings/profiles'), page.click('nav.subnav a[href="/settings/profiles"]')]);
      assert.deepEqual(await rowNames(page), ['Private', 'Business', 'Learning']);
      const add = page.locator('form[action="/settings/profiles"]');
      await add.locator('input[name=name]').fill('Hobby');
      await submit(page, add);
      assert.match(await page.locator('p.notice').textContent(), /Saved/);
      // A taken name comes back on the form, with what was wrong.
      await add.locator('input[name=name]').fill('Hobby');
      await submit(page, add);
      assert.match(await page.locator('p.alert').textContent(), /a profile with this name already exists/);

      const hobby = row(page, 'Hobby');
      await hobby.locator('input[name=name]').fill('Hobbies');
      await submit(page, hobby.locator('form.row-form'));
      const moved = row(page, 'Hobbies');
      await Promise.all([page.waitForNavigation(), moved.locator('button[value=up]').click()]);
      assert.deepEqual(await rowNames(page), ['Private', 'Business', 'Hobbies', 'Learning']);
      // The header's profile switch lists them in the same order.
      const options = await page.locator('header details.dropdown:not(.end) li a').allTextContents();
      assert.deepEqual(options.slice(1).map((o) => o.trim()), ['Private', 'Business', 'Hobbies', 'Learning']);

      const hobbyId = (await api(page, 'GET', '/profiles')).find((p) => p.name === 'Hobbies').id;
      await api(page, 'POST', '/items', { profile_id: hobbyId, title: 'Guitar tabs' });
      await Promise.all([page.waitForURL(`**/settings/profiles/${hobbyId}/delete`), row(page, 'Hobbies').locator('a.danger').click()]);
      assert.match(await page.locator('main form p').textContent(), /with its 0 folders and 1 items .*cannot be undone/);
      await Promise.all([page.waitForURL('**/settings/profiles?saved=deleted'), page.click('main form button.danger')]);
      assert.deepEqual(await rowNames(page), ['Private', 'Business', 'Learning']);
    });

    test('categories and tags: create with a colour, recolour, delete after confirming; items stay', async () => {
      for (const [path, label] of [['/settings/categories', 'category'], ['/settings/tags', 'tag']]) {
        await page.goto(path);
        const add = page.locator(`form[action="${path}"]`);
        await add.locator('input[name=name]').fill('Reading');
        await add.locator('input[name=color]').fill('#2563eb');
        await submit(page, add);
        const r = row(page, 'Reading');
        await r.locator('input[name=color]').fill('#dc2626');
        await submit(page, r.locator('form.row-form'));
        assert.equal(await row(page, 'Reading').locator('circle').getAttribute('fill'), '#dc2626');
      }
      // The item form offers the tag in its new colour.
      await page.goto('/items/new');
      const choice = page.locator('form label.check', { hasText: 'Reading' });
      assert.equal(await choice.locator('circle').getAttribute('fill'), '#dc2626');
      const tagId = (await api(page, 'GET', '/tags')).find((t) => t.name === 'Reading').id;
      const profiles = await api(page, 'GET', '/profiles');
      const item = await api(page, 'POST', '/items', { profile_id: profiles[0].id, title: 'Tagged', tag_ids: [tagId] });

      await page.goto('/settings/tags');
      await Promise.all([page.waitForURL(`**/settings/tags/${tagId}/delete`), row(page, 'Reading').locator('a.danger').click()]);
      assert.match(await page.locator('main form p').textContent(), /taken off 1 items; the items themselves stay/);
      // Cancel keeps it.
      await Promise.all([page.waitForURL('**/settings/tags'), page.locator('main form a.button').click()]);
      assert.deepEqual(await rowNames(page), ['Reading']);
      await page.goto(`/settings/tags/${tagId}/delete`);
      await Promise.all([page.waitForURL('**/settings/tags?saved=deleted'), page.click('main form button.danger')]);
      assert.deepEqual(await rowNames(page), []);
      const after = await api(page, 'GET', `/items/${item.id}`);
      assert.deepEqual(after.tags, []);
    });

    test('the same pages in Japanese', async () => {
      const ja = await newContext(env.browser, env.server.baseUrl, { locale: 'ja-JP' });
      const p = await ja.newPage();
      try {
        await signUp(p, { email: uniqueEmail('orgja'), name: '整理', locale: 'ja' });
        await p.goto('/settings/categories');
        assert.equal(await p.locator('main h2').first().textContent(), 'カテゴリ');
        const add = p.locator('form[action="/settings/categories"]');
        await add.locator('input[name=name]').fill('記事');
        await submit(p, add);
        assert.match(await p.locator('p.notice').textContent(), /保存しました/);
        assert.match(await row(p, '記事').locator('.muted').textContent(), /アイテム 0 件/);
        await add.locator('input[name=name]').fill('');
        await add.locator('input[name=name]').evaluate((i) => { i.required = false; });
        await submit(p, add);
        assert.match(await p.locator('p.alert').textContent(), /入力内容を確認してください/);
        await p.goto('/settings/profiles');
        await Promise.all([p.waitForURL('**/delete'), p.locator('ul.organize li a.danger').first().click()]);
        assert.match(await p.locator('main form p').textContent(), /フォルダ 0 件とアイテム 0 件/);
        assert.deepEqual(ja.pageErrors, []);
      } finally {
        await ja.close();
      }
    });
  });
}
