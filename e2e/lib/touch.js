// Drag and drop on a phone: a touch screen (no mouse, no HTML5 drag and drop), dragged with
// real touch events; each move is checked through the API and on the reloaded page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { devices } from 'playwright-core';
import {
  api, centre, newContext, newDocumentAfter, profileIds, signUp, touchDrag, uniqueEmail,
} from './browser.js';

export function touch(env) {
  describe('phone (touch)', () => {
    let context, page, profiles;

    before(async () => {
      context = await newContext(env.browser, env.server.baseUrl, { ...devices['Pixel 5'] });
      page = await context.newPage();
      await signUp(page, { email: uniqueEmail('touch'), name: 'Touch Test' });
      profiles = await profileIds(page);
    });
    after(async () => {
      assert.deepEqual(context.pageErrors, [], 'no script errors on any page');
      assert.equal(await page.evaluate(() => window.__xss), 0, 'no CSP violation');
      await context.close();
    });

    test('an item is dragged onto another folder in the tree, and a folder into another', async () => {
      const folder = async (name) => api(page, 'POST', '/folders', { profile_id: profiles.Private, name });
      const inbox = await folder('Inbox');
      const pile = await folder('Pile');
      const item = await api(page, 'POST', '/items', { profile_id: profiles.Private, title: 'Phone item', folder_id: inbox.id });
      await page.goto('/tree');
      const li = (name) => page.locator('.tree li', { has: page.locator(`:scope > details > summary > .fname:text-is("${name}")`) });
      const summary = (name) => li(name).locator(':scope > details > summary');
      // A tap opens the folder; its items load.
      await summary('Inbox').tap();
      await li('Inbox').locator(':scope > details[data-state=loaded]').waitFor();
      const row = li('Inbox').locator('.tree-items li', { hasText: 'Phone item' });
      // A swipe that does not hold first drags nothing (it scrolls): nothing is posted.
      let posts = 0;
      page.on('request', (r) => { if (r.method() === 'POST') posts += 1; });
      await touchDrag(page, await centre(row.locator('a')), await centre(summary('Pile')), { hold: 0 });
      await page.waitForTimeout(500);
      assert.equal(posts, 0, 'a swipe posts nothing');
      // Held, then dragged onto "Pile": the move is posted, and the page reloads.
      const moved = page.waitForResponse((r) => r.url().endsWith(`/items/${item.id}/move`) && r.request().method() === 'POST');
      await newDocumentAfter(page, async () => {
        await touchDrag(page, await centre(row.locator('a')), await centre(summary('Pile')));
        assert.equal(new URLSearchParams((await moved).request().postData()).get('folder'), String(pile.id));
      });
      assert.equal((await api(page, 'GET', `/items/${item.id}`)).folder_id, pile.id, 'saved: the item is in "Pile"');
      // The reloaded tree shows it there, and the folder that was open is open again.
      await li('Inbox').locator(':scope > details[data-state=loaded]').waitFor();
      assert.equal(await li('Inbox').locator('.tree-items li').count(), 0);
      assert.match(await summary('Pile').locator('.n').textContent(), /^1 items$/);

      // A folder dropped on another folder goes into it.
      await newDocumentAfter(page, async () => {
        await touchDrag(page, await centre(summary('Pile').locator('.fname')), await centre(summary('Inbox').locator('.fname')));
      });
      assert.equal((await api(page, 'GET', `/folders/${pile.id}`)).parent_id, inbox.id, 'saved: "Pile" is in "Inbox"');
      await page.reload();
      if (!(await li('Inbox').locator(':scope > details').evaluate((d) => d.open))) await summary('Inbox').tap();
      await li('Inbox').locator(':scope > details > ul > li summary .fname', { hasText: 'Pile' }).waitFor();
    });

    test('rows of a manually sorted list are re-ordered with a finger', async () => {
      const box = await api(page, 'POST', '/folders', { profile_id: profiles.Private, name: 'Sorted' });
      for (const title of ['First', 'Second', 'Third']) {
        await api(page, 'POST', '/items', { profile_id: profiles.Private, title, folder_id: box.id });
      }
      await page.goto(`/items?profile=${profiles.Private}&folder_id=${box.id}&sort=manual`);
      const titles = () => page.locator('#list .item-title').allTextContents();
      assert.deepEqual(await titles(), ['First', 'Second', 'Third']);
      const grip = (title) => page.locator('#list li.item', { hasText: title }).locator('.grip');
      const moved = page.waitForResponse((r) => /\/items\/\d+\/move$/.test(r.url()) && r.request().method() === 'POST');
      const first = await centre(grip('First'));
      await touchDrag(page, await centre(grip('Third')), { x: first.x, y: first.y - 8 });
      assert.equal((await moved).status(), 204);
      assert.deepEqual(await titles(), ['Third', 'First', 'Second'], 'moved in place');
      await page.reload();
      assert.deepEqual(await titles(), ['Third', 'First', 'Second'], 'saved');
    });

    test('a card is dragged into another status column on the board', async () => {
      const item = await api(page, 'POST', '/items', { profile_id: profiles.Private, title: 'Phone card', status: 'undecided' });
      await page.goto('/groups?by=status');
      const column = (name) => page.locator(`.board section[aria-label="${name}"]`);
      const card = column('Undecided').locator('li.item', { hasText: 'Phone card' });
      await card.waitFor();
      // The phone shows the first column and part of the second ("Not started").
      const from = await centre(card.locator('.meta'));
      const target = await column('Not started').boundingBox();
      const viewport = page.viewportSize();
      const to = { x: (target.x + Math.min(target.x + target.width, viewport.width)) / 2, y: from.y };
      assert.ok(to.x > target.x + 10 && to.x < viewport.width - 10, 'the second column is in view');
      const posted = page.waitForResponse((r) => r.url().endsWith('/items/bulk') && r.request().method() === 'POST');
      await newDocumentAfter(page, async () => {
        await touchDrag(page, from, to);
        assert.equal(new URLSearchParams((await posted).request().postData()).get('ids'), String(item.id));
      });
      assert.equal((await api(page, 'GET', `/items/${item.id}`)).status, 'not_started', 'saved');
      await column('Not started').locator('li.item', { hasText: 'Phone card' }).waitFor();
      assert.equal(await column('Undecided').locator('li.item', { hasText: 'Phone card' }).count(), 0);
    });
  });
}
