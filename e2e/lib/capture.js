// Page capture as a person sees it: a link pasted into "New item" with no title gets the
// page's own title and description from a web server on 127.0.0.1 (allowed for this server
// through CAPTURE_ALLOW_INTERNAL, as a LAN service would be), shows its state while it is
// fetched, and can be fetched again from the item.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { api, createItem, modal, newContext, signUp, uniqueEmail } from './browser.js';

/** A site with one Japanese article; resolves to { origin, hits, close() }. */
async function startSite() {
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(req.url);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><html lang="ja"><head><title>ignored</title>
      <meta property="og:title" content="東京の紅葉を歩く">
      <meta property="og:description" content="京都と東京、二つの街の秋を比べた記事です。">
      <meta property="og:site_name" content="散歩の記録"></head>
      <body><p>${'秋の散歩道。'.repeat(400)}</p></body></html>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, hits, close: () => server.close() };
}

/** Polls the item through the API until its capture is `state`. */
async function waitForCapture(page, id, state) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const item = await api(page, 'GET', `/items/${id}`);
    if (item.capture_state === state) return item;
    assert.ok(Date.now() < deadline, `item ${id} is ${item.capture_state}, not ${state}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function capture(env) {
  describe('page capture', () => {
    let context, page, site;

    before(async () => {
      site = await startSite();
      context = await newContext(env.browser, env.server.baseUrl);
      page = await context.newPage();
      await signUp(page, { email: uniqueEmail('capture'), name: 'Capture Tester' });
    });
    after(async () => {
      assert.deepEqual(context.pageErrors, [], 'no script errors on any page');
      await context.close();
      site.close();
    });

    test('a pasted link without a title gets the page title, description and reading time', async () => {
      await page.goto('/items');
      const url = `${site.origin}/autumn`;
      const id = await createItem(page, { url });
      const title = modal(page).locator('h2#modal-title');
      await waitForCapture(page, id, 'done');
      await page.reload();
      assert.equal((await title.textContent()).trim(), '東京の紅葉を歩く');
      assert.equal(await modal(page).locator('p.description').textContent(), '京都と東京、二つの街の秋を比べた記事です。');
      const capture = modal(page).locator('dl.props dd', { hasText: 'Fetched' });
      assert.match(await capture.textContent(), /Fetched · 5 min read · 散歩の記録/);

      // In the list: the description under the title, the site's name.
      await page.goto('/items');
      const card = page.locator('#list li.item', { hasText: '東京の紅葉を歩く' });
      assert.equal(await card.locator('.description').textContent(), '京都と東京、二つの街の秋を比べた記事です。');
      assert.equal(await card.locator('.host').textContent(), '散歩の記録');

      // Fetched again on request.
      await page.goto(`/items/${id}`);
      const before = site.hits.length;
      await Promise.all([
        page.waitForURL(new RegExp(`/items/${id}`)),
        modal(page).locator(`form[action="/items/${id}/capture"] button`).click(),
      ]);
      const deadline = Date.now() + 20000;
      while (site.hits.length === before) {
        assert.ok(Date.now() < deadline, 'the page was fetched again');
        await new Promise((r) => setTimeout(r, 100));
      }
    });

    test('two saves of one page: the item says so, and settings merges them', async () => {
      const profile = (await api(page, 'GET', '/profiles'))[0].id;
      const port = new URL(site.origin).port;
      const older = await api(page, 'POST', '/items', {
        profile_id: profile, title: 'Article (from the feed)', memo: 'from the feed',
        url: `${site.origin}/merge-me?utm_source=feed`,
      });
      const newer = await api(page, 'POST', '/items', {
        profile_id: profile, title: 'Article (from a friend)', memo: 'from a friend',
        url: `http://127.0.0.1:${port}/merge-me/#comments`,
      });
      await page.goto(`/items/${newer.id}`);
      const also = modal(page).locator('p.also-saved');
      assert.match(await also.textContent(), /Also saved as: Article \(from the feed\)/);

      await page.goto('/settings/duplicates');
      const group = page.locator('section.duplicate-group', { hasText: 'Article (from the feed)' });
      assert.deepEqual(
        (await group.locator('li a').allTextContents()).map((t) => t.trim()),
        ['Article (from the feed)', 'Article (from a friend)'],
      );
      await Promise.all([page.waitForURL('**/settings/duplicates?merged=1'), group.locator('button[type=submit]').click()]);
      assert.equal(await page.locator('p.notice[role=status]').textContent(), 'Merged.');
      assert.equal(await page.locator('section.duplicate-group', { hasText: 'Article (from' }).count(), 0);
      const kept = await api(page, 'GET', `/items/${older.id}`);
      assert.equal(kept.memo, 'from the feed\n\nfrom a friend');
      const gone = await page.request.get(`/api/v1/items/${newer.id}`);
      assert.equal(gone.status(), 404);
    });

    test('a link that cannot be fetched says why', async () => {
      await page.goto('/items');
      // Loopback other than the allowed 127.0.0.1: refused before any connection.
      const id = await createItem(page, { url: 'http://127.0.0.2:9/private', title: 'Private service' });
      await waitForCapture(page, id, 'failed');
      await page.reload();
      const failed = modal(page).locator('dl.props dd', { hasText: 'Fetch failed' });
      assert.match(await failed.textContent(), /loopback address/);
      await page.goto('/items');
      const card = page.locator('#list li.item', { hasText: 'Private service' });
      assert.equal(await card.locator('.badge.capture-failed').textContent(), 'Fetch failed');
    });
  });
}
