// Page capture as a person sees it: a link pasted into "New item" with no title gets the
// page's own title and description from a web server on 127.0.0.1 (allowed for this server
// through CAPTURE_ALLOW_INTERNAL, as a LAN service would be), shows its state while it is
// fetched, and can be fetched again from the item.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { copyFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { api, createItem, logIn, modal, newContext, signUp, uniqueEmail } from './browser.js';
import { axeViolations } from './a11y.js';
import { repoRoot } from './server.js';

/** An RGB PNG of `width` x `height` whose pixels `color(x, y)` gives as [r, g, b]. */
function png(width, height, color) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set(color(x, y), y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An autumn sky over red leaves, 1,200 x 630 as Open Graph images are. */
const PREVIEW = png(1200, 630, (x, y) => (y < 300
  ? [120 + (y >> 3), 170 + (y >> 4), 230]
  : [200 + ((x * 7 + y * 3) % 55), 60 + ((x ^ y) % 70), 30]));
/** A maple leaf red square with a light border, 96 px. */
const ICON = png(96, 96, (x, y) => (x < 8 || y < 8 || x > 87 || y > 87 ? [250, 240, 230] : [200, 40, 30]));

/** A site with one Japanese article; resolves to { origin, hits, close() }. */
async function startSite() {
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(req.url);
    const image = { '/leaf.png': ICON, '/img/autumn.png': PREVIEW }[req.url];
    // A page that lives for its capture and is gone when its link is checked.
    if (req.url === '/short-lived' && hits.filter((h) => h === req.url).length > 1) {
      res.writeHead(404);
      res.end();
      return;
    }
    if (image) {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(image);
      return;
    }
    if (req.url === '/essay') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><html lang="ja"><head><title>秋の京都を歩く | 散歩の記録</title>
        <script>document.title = 'hijacked'</script></head><body>
        <nav><a href="/">ホーム</a> <a href="/about">運営者情報</a></nav>
        <article><h1>秋の京都を歩く</h1>
        ${Array.from({ length: 12 }, (_, i) => `<h2>${i + 1}日目</h2>
          <p>朝の東山を歩くと、紅葉の赤と銀杏の黄色が石畳に重なります。寺の境内は静かで、鐘の音が遠くまで響きます。${'古い町並みを抜けて川沿いを歩き、茶屋で一服してから次の寺へ向かいます。'.repeat(3)}</p>
          ${i === 1 ? '<figure><img src="/img/autumn.png" alt="紅葉の庭" onerror="alert(1)"><figcaption>東福寺の庭</figcaption></figure>' : ''}`).join('')}
        </article></body></html>`);
      return;
    }
    if (req.url === '/favicon.ico') {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><html lang="ja"><head><title>ignored</title>
      <link rel="icon" href="/leaf.png" sizes="96x96">
      <meta property="og:image" content="/img/autumn.png">
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
    const email = uniqueEmail('capture');

    before(async () => {
      site = await startSite();
      context = await newContext(env.browser, env.server.baseUrl);
      page = await context.newPage();
      await signUp(page, { email, name: 'Capture Tester' });
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

      // The icon beside the title and the preview above it, served from our own origin.
      const loaded = async (img) => {
        await img.evaluate((el) => el.decode().catch(() => {}));
        return img.evaluate((el) => el.complete && el.naturalWidth);
      };
      const shownIcon = modal(page).locator('h2 img.favicon');
      const iconSrc = await shownIcon.getAttribute('src');
      assert.match(iconSrc, new RegExp(`^/items/${id}/files/favicon\\?v=[0-9a-f]{12}$`));
      assert.equal(await loaded(shownIcon), 64, 'the 96 px icon, made 64 px');
      assert.equal(await loaded(modal(page).locator('img.preview')), 800, 'the preview, made 800 px wide');

      // In the list: the icon, the description under the title, the site's name; in the cards,
      // the preview too.
      await page.goto('/items');
      const card = page.locator('#list li.item', { hasText: '東京の紅葉を歩く' });
      assert.equal(await card.locator('.description').textContent(), '京都と東京、二つの街の秋を比べた記事です。');
      assert.equal(await card.locator('.host').textContent(), '散歩の記録');
      assert.equal(await loaded(card.locator('img.favicon')), 64);
      assert.equal(await card.locator('img.preview').isVisible(), false, 'no preview in the list layout');
      await page.goto('/items?layout=cards');
      const tile = page.locator('#list li.item', { hasText: '東京の紅葉を歩く' });
      await tile.locator('img.preview').scrollIntoViewIfNeeded();
      assert.equal(await loaded(tile.locator('img.preview')), 800);
      const shots = path.join(repoRoot, 'target', 'screenshots');
      mkdirSync(shots, { recursive: true });
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.screenshot({ path: path.join(shots, 'capture-cards-desktop-light.png'), animations: 'disabled', caret: 'hide' });
      await page.goto(`/items/${id}`);
      await loaded(modal(page).locator('img.preview'));
      await page.screenshot({ path: path.join(shots, 'capture-modal-desktop-light.png'), animations: 'disabled', caret: 'hide' });
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        for (const name of ['capture-cards-desktop-light.png', 'capture-modal-desktop-light.png']) {
          const copy = path.join(repoRoot, 'docs', 'screenshots', name);
          copyFileSync(path.join(shots, name), copy);
          spawnSync('pngquant', ['--force', '--skip-if-larger', '--quality=60-95', '--output', copy, copy]);
        }
      }
      // Another visitor cannot fetch it.
      const stranger = await newContext(env.browser, env.server.baseUrl);
      const other = await stranger.newPage();
      await signUp(other, { email: uniqueEmail('stranger'), name: 'Stranger' });
      const denied = await other.request.get(iconSrc);
      assert.equal(denied.status(), 404);
      await stranger.close();

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

    test('a dead link is checked, called broken, counted and filtered', async () => {
      const profile = (await api(page, 'GET', '/profiles'))[0].id;
      const item = await api(page, 'POST', '/items', {
        profile_id: profile, title: 'A page that went away', url: `${site.origin}/short-lived`,
      });
      await waitForCapture(page, item.id, 'done');
      await page.goto(`/items/${item.id}`);
      await Promise.all([
        page.waitForURL(new RegExp(`/items/${item.id}`)),
        modal(page).locator(`form[action="/items/${item.id}/link/check"] button`).click(),
      ]);
      const deadline = Date.now() + 20000;
      while (!(await api(page, 'GET', `/items/${item.id}/link`)).broken) {
        assert.ok(Date.now() < deadline, 'the link was never found broken');
        await new Promise((r) => setTimeout(r, 200));
      }
      await page.reload();
      const health = modal(page).locator('dd.link-health');
      assert.match(await health.locator('.link-state').textContent(), /Broken link: Page gone/);
      assert.equal(await health.locator('a.our-copy').getAttribute('href'), `/items/${item.id}/reader`,
        'the copy kept when the page was captured');
      assert.match(await health.locator('a.archived-copy').getAttribute('href'),
        /^https:\/\/web\.archive\.org\/web\/\d{14}\/http:\/\/127\.0\.0\.1:\d+\/short-lived$/);

      // Counted on the dashboard, whose count opens the filtered list.
      await page.goto('/dashboard');
      const count = page.locator('a.count.broken-links');
      assert.equal((await count.locator('.n').textContent()).trim(), '1');
      await Promise.all([page.waitForURL('**/items?link=broken'), count.click()]);
      const rows = page.locator('#list li.item');
      assert.deepEqual((await rows.locator('.item-title').allTextContents()).map((t) => t.trim()), ['A page that went away']);
      assert.equal(await rows.locator('.badge.link-broken').textContent(), 'Broken link');
      assert.equal(await page.locator('input[name=link][value=broken]').isChecked(), true);
      const shots = path.join(repoRoot, 'target', 'screenshots');
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.screenshot({ path: path.join(shots, 'links-broken-desktop-light.png'), animations: 'disabled', caret: 'hide' });
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        const copy = path.join(repoRoot, 'docs', 'screenshots', 'links-broken-desktop-light.png');
        copyFileSync(path.join(shots, 'links-broken-desktop-light.png'), copy);
        spawnSync('pngquant', ['--force', '--skip-if-larger', '--quality=60-95', '--output', copy, copy]);
      }
    });

    test('the reader view shows the article calmly and keeps the place', async () => {
      const profile = (await api(page, 'GET', '/profiles'))[0].id;
      const item = await api(page, 'POST', '/items', { profile_id: profile, url: `${site.origin}/essay` });
      await waitForCapture(page, item.id, 'done');
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`/items/${item.id}`);
      await Promise.all([page.waitForURL(`**/items/${item.id}/reader`), modal(page).locator('a.reader-link').click()]);
      const reader = page.locator('article.reader');
      assert.equal(await reader.locator('h1').textContent(), '秋の京都を歩く');
      assert.equal(await reader.getAttribute('lang'), 'ja');
      const body = reader.locator('.reader-body');
      assert.equal(await body.locator('h2').count(), 12);
      assert.equal(await body.locator('script, [onerror], nav').count(), 0, 'nothing of the page but its article');
      const img = body.locator('figure img');
      assert.match(await img.getAttribute('src'), new RegExp(`^/items/${item.id}/images/[0-9a-f]{64}$`));
      await img.scrollIntoViewIfNeeded();
      assert.equal(await img.evaluate(async (el) => { await el.decode(); return el.naturalWidth; }), 1200);
      assert.equal(await page.title(), '秋の京都を歩く · TidilySpace', 'the page title is ours, not the script\'s');
      const shots = path.join(repoRoot, 'target', 'screenshots');
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: path.join(shots, `reader-desktop-${scheme}.png`), animations: 'disabled', caret: 'hide' });
      }
      await page.emulateMedia({ colorScheme: 'light' });
      // No serious accessibility finding, light or dark (axe-core needs the CSP bypassed).
      const audit = await newContext(env.browser, env.server.baseUrl, { bypassCSP: true });
      const auditor = await audit.newPage();
      await logIn(auditor, email);
      await auditor.goto(`/items/${item.id}/reader`);
      for (const scheme of ['light', 'dark']) {
        await auditor.emulateMedia({ colorScheme: scheme });
        assert.deepEqual(await axeViolations(auditor), [], `reader view, ${scheme}`);
      }
      await audit.close();

      // Scrolled to 60 %: kept (the page posts it after a second), and restored on return.
      await page.evaluate(() => window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * 0.6));
      const deadline = Date.now() + 10000;
      let kept;
      while ((kept = (await api(page, 'GET', `/items/${item.id}`)).reading_progress) < 55) {
        assert.ok(Date.now() < deadline, `progress never kept (${kept})`);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(kept <= 65, `kept ${kept}`);
      await page.goto('/items');
      await page.goto(`/items/${item.id}/reader`);
      const at = await page.evaluate(() => Math.round(100 * scrollY / (document.documentElement.scrollHeight - innerHeight)));
      assert.ok(Math.abs(at - kept) <= 2, `opened at ${at} %, kept ${kept} %`);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(shots, 'reader-phone-light.png'), animations: 'disabled', caret: 'hide' });
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        for (const name of ['reader-desktop-light.png', 'reader-desktop-dark.png', 'reader-phone-light.png']) {
          const copy = path.join(repoRoot, 'docs', 'screenshots', name);
          copyFileSync(path.join(shots, name), copy);
          spawnSync('pngquant', ['--force', '--skip-if-larger', '--quality=60-95', '--output', copy, copy]);
        }
      }
      await page.setViewportSize({ width: 1440, height: 900 });
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
