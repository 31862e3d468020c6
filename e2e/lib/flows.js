// What a person does with the web interface, checked by what they see.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  api, createFolder, createItem, fillItemForm, listTitles, modal, newContext, newDocumentAfter,
  profileIds, signUp, uniqueEmail,
} from './browser.js';

const TITLE_A = 'Rust async book';
const TITLE_B = '東京タワーの夜景スポット';
const TITLE_C = 'Quick note to triage';
const TITLE_D = 'Business plan draft';

export function flows(env) {
  describe('flows', () => {
    let context, page, ids = {}, profiles = {};
    const email = uniqueEmail('flow');

    before(async () => {
      context = await newContext(env.browser, env.server.baseUrl);
      page = await context.newPage();
    });
    after(async () => {
      assert.deepEqual(context.pageErrors, [], 'no script errors on any page');
      await context.close();
    });

    test('sign-up lands on an empty dashboard', async () => {
      await signUp(page, { email, name: 'Hanako Test' });
      assert.match(page.url(), /\/dashboard$/);
      await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
      assert.equal(await page.locator('header details.dropdown.end > summary').textContent(), 'Hanako Test');
      const counts = await page.locator('.counts .n').allTextContents();
      assert.ok(counts.length >= 5 && counts.every((n) => n === '0'), `counts: ${counts}`);
      profiles = await profileIds(page);
      assert.deepEqual(Object.keys(profiles), ['Private', 'Business', 'Learning']);
    });

    test('create a bookmark and a reading-list entry with every attribute', async () => {
      await createFolder(page, 'Reading room', profiles.Private);
      await createFolder(page, 'Later', profiles.Private);
      await createFolder(page, 'Clients', profiles.Business);
      // Made through the API here; the settings pages' own flow is in organize.js.
      await api(page, 'POST', '/categories', { name: 'Article', color: '#2563eb' });
      await api(page, 'POST', '/categories', { name: 'Video', color: '#dc2626' });

      await page.goto('/items');
      ids.a = await createItem(page, {
        title: TITLE_A, url: 'https://rust-lang.github.io/async-book/',
        memo: 'Chapters 1-3 first.\nThen try the examples.', kind: 'bookmark',
        profile: 'Private', folder: 'Private: Reading room', category: 'Article',
        newTags: 'rust, async', newTagColor: '#b7410e',
        status: 'in_progress', priority: 'high',
        start: '2026-11-10T09:00', end: '2026-11-12T18:00', reminder: '2026-11-09T08:30', favorite: true,
      });
      const m = modal(page);
      assert.equal((await m.locator('#modal-title').textContent()).trim(), `★ ${TITLE_A}`);
      assert.equal(await m.locator('.url a').getAttribute('href'), 'https://rust-lang.github.io/async-book/');
      assert.equal(await m.locator('.memo').textContent(), 'Chapters 1-3 first.\nThen try the examples.');
      const badges = await m.locator('p.meta .badge').allTextContents();
      assert.deepEqual(badges, ['In progress', 'Bookmark', 'Priority: High']);
      const props = await readProps(m);
      assert.equal(props.Profile, 'Private');
      assert.equal(props.Folder, 'Reading room');
      assert.equal(props.Category, 'Article');
      assert.equal(props.Tags, 'async rust');
      assert.equal(props['Schedule start'], '2026-11-10 09:00');
      assert.equal(props['Schedule end'], '2026-11-12 18:00');
      assert.equal(props.Reminder, '2026-11-09 08:30');
      // Tags typed in the form were created with the colour chosen there.
      for (const tag of ['rust', 'async']) {
        assert.equal(await m.locator('dd .tag', { hasText: tag }).locator('circle').getAttribute('fill'), '#b7410e');
      }

      await page.goto('/items');
      ids.b = await createItem(page, {
        title: TITLE_B, url: 'https://example.jp/tokyo-tower', memo: '週末に行く。',
        kind: 'reading_list', profile: 'Business', folder: 'Business: Clients', category: 'Video',
        tags: ['rust'], newTags: '夜景', newTagColor: '#9333ea', priority: 'low',
      });
      const badgesB = await m.locator('p.meta .badge').allTextContents();
      // The status was left on "automatic": a reading-list entry starts as not started.
      assert.deepEqual(badgesB, ['Not started', 'Reading list', 'Priority: Low']);
      const propsB = await readProps(m);
      assert.equal(propsB.Profile, 'Business');
      assert.equal(propsB.Folder, 'Clients');
      assert.equal(propsB.Category, 'Video');
      assert.equal(propsB.Tags, 'rust 夜景');
      assert.equal(await m.locator('dd .tag', { hasText: '夜景' }).locator('circle').getAttribute('fill'), '#9333ea');
      assert.equal(await m.locator('#modal-title .fav').count(), 0);

      await page.goto('/items');
      ids.c = await createItem(page, { title: TITLE_C, profile: 'Private' });
      await page.goto('/items');
      ids.d = await createItem(page, { title: TITLE_D, profile: 'Business', kind: 'reading_list', status: 'on_hold' });

      await page.goto('/items');
      assert.deepEqual((await listTitles(page)).sort(), [TITLE_A, TITLE_B, TITLE_C, TITLE_D].sort());
      // The list shows the tags with their colours.
      const row = page.locator('#list li.item', { hasText: TITLE_B });
      assert.equal(await row.locator('.tag', { hasText: 'rust' }).locator('circle').getAttribute('fill'), '#b7410e');
      await page.goto('/dashboard');
      assert.equal(await countOf(page, 'In progress'), '1');
      assert.equal(await countOf(page, 'Not started'), '1');
      assert.equal(await countOf(page, 'Favourites'), '1');
    });

    test('search refreshes the list as you type', async () => {
      await page.goto('/items');
      const q = page.locator('input[name=q]');
      await q.pressSequentially('async bo', { delay: 20 });
      await page.waitForURL(/[?&]q=async\+bo/);
      await waitForTitles(page, [TITLE_A]);
      await q.fill('');
      await q.pressSequentially('タワー', { delay: 20 });
      await page.waitForURL(/[?&]q=%E3%82%BF%E3%83%AF%E3%83%BC/);
      await waitForTitles(page, [TITLE_B]);
      // The memo is searched too.
      await q.fill('examples');
      await waitForTitles(page, [TITLE_A]);
      await q.fill('no such thing anywhere');
      await page.locator('#list .empty', { hasText: 'No items.' }).waitFor();
      // The URL is the search: reloading it shows the same.
      await page.waitForURL(/q=no\+such/);
      await page.reload();
      assert.equal(await q.inputValue(), 'no such thing anywhere');
      await page.locator('#list .empty').waitFor();
    });

    test('filters are reflected in the URL and survive a reload', async () => {
      await page.goto('/items');
      await page.locator('details.more > summary').click();
      await page.locator('fieldset', { hasText: 'Status' }).getByLabel('Not started').check();
      await page.locator('fieldset', { hasText: 'Status' }).getByLabel('On hold').check();
      await page.waitForURL(/status=not_started&status=on_hold/);
      await waitForTitles(page, [TITLE_B, TITLE_D].sort());
      await page.locator('select[name=kind]').selectOption('reading_list');
      await page.locator('select[name=category_id]').selectOption({ label: 'Video' });
      await page.waitForURL(/kind=reading_list.*category_id=\d+/);
      await waitForTitles(page, [TITLE_B]);
      await page.reload();
      assert.ok(await page.locator('details.more').evaluate((d) => d.open), 'active filters keep the panel open');
      assert.ok(await page.getByLabel('Not started').isChecked());
      assert.equal(await page.locator('select[name=kind]').inputValue(), 'reading_list');
      assert.deepEqual(await listTitles(page), [TITLE_B]);
      // "Best match" is the default sort: it ranks a search, and is newest first without one.
      assert.equal(await page.locator('select[name=sort]').inputValue(), 'relevance');
      await page.locator('select[name=sort]').selectOption('title');
      await page.waitForURL(/sort=title/);
      await page.getByRole('link', { name: 'Clear' }).click();
      await page.waitForURL((u) => u.pathname === '/items' && u.search === '');
      assert.equal((await listTitles(page)).length, 4);
      await page.goto('/items?priority=high');
      assert.deepEqual(await listTitles(page), [TITLE_A]);
      await page.goto('/items?favorite=true&layout=cards');
      assert.equal(await page.locator('#list ul.items.cards').count(), 1);
      assert.deepEqual(await listTitles(page), [TITLE_A]);
    });

    test('the item modal opens, closes (×, Esc, outside), and works with reload and back/forward', async () => {
      await page.goto('/items');
      const m = modal(page);
      const open = async () => {
        await page.locator('#list .item-title', { hasText: TITLE_C }).click();
        await page.waitForURL(`**/items/${ids.c}`);
        await m.locator('#modal-title', { hasText: TITLE_C }).waitFor();
      };
      await open();
      await m.locator('a.modal-close').click();
      await m.waitFor({ state: 'detached' });
      assert.equal(new URL(page.url()).pathname, '/items');

      await open();
      await page.keyboard.press('Escape');
      await m.waitFor({ state: 'detached' });
      assert.equal(new URL(page.url()).pathname, '/items');

      await open();
      await page.mouse.click(20, 600); // on the backdrop, outside the dialog
      await m.waitFor({ state: 'detached' });
      assert.equal(new URL(page.url()).pathname, '/items');

      await open();
      await page.reload();
      await m.locator('#modal-title', { hasText: TITLE_C }).waitFor();
      await page.goBack();
      await page.waitForURL((u) => u.pathname === '/items');
      await m.waitFor({ state: 'detached' });
      await page.goForward();
      await page.waitForURL(`**/items/${ids.c}`);
      await m.locator('#modal-title', { hasText: TITLE_C }).waitFor();

      // Edit is a mode of the same modal.
      await m.getByRole('link', { name: 'Edit' }).click();
      await page.waitForURL(`**/items/${ids.c}/edit`);
      const form = await fillItemForm(page, { title: `${TITLE_C} (edited)`, priority: 'low', memo: 'Edited in the modal.' });
      await Promise.all([page.waitForURL(`**/items/${ids.c}`), form.locator('button[type=submit]').click()]);
      await m.locator('#modal-title', { hasText: `${TITLE_C} (edited)` }).waitFor();
      assert.equal(await m.locator('.memo').textContent(), 'Edited in the modal.');
      assert.ok((await m.locator('p.meta').textContent()).includes('Priority: Low'));
      // A validation error is shown in the modal, next to its field.
      await m.getByRole('link', { name: 'Edit' }).click();
      await page.waitForURL(`**/items/${ids.c}/edit`);
      await fillItemForm(page, { start: '2026-11-12T10:00', end: '2026-11-11T10:00' });
      await m.locator('button[type=submit]').click();
      await m.locator('.alert', { hasText: 'Please check the highlighted fields.' }).waitFor();
      assert.ok((await m.locator('.field-error:not(:empty)').count()) >= 1);
      await m.getByRole('link', { name: 'Cancel' }).click();
      await m.waitFor({ state: 'detached' });
    });

    test('drag an item to another folder in the tree, and the form alternative', async () => {
      await page.goto('/tree');
      const folder = (name) => page.locator('.tree > li', { has: page.locator(`summary > .fname:text-is("${name}")`) });
      const details = (name) => folder(name).locator(':scope > details');
      const itemIn = (name, title) => folder(name).locator('.tree-items li', { hasText: title });
      const loaded = (name) => folder(name).locator(':scope > details[data-state=loaded]').waitFor();
      /** Opens a folder (a click on its name) and waits for its items. */
      const open = async (name) => {
        if (!(await details(name).evaluate((d) => d.open))) await details(name).locator(':scope > summary').click();
        await loaded(name);
      };
      // The tree shows its folders closed and none of their items.
      assert.equal(await page.locator('.tree details[open]').count(), 0, 'folders come closed');
      assert.equal(await page.locator('.tree-items li').count(), 0, 'with no items in them');
      // Opening one loads its items; if they cannot be loaded it says so, with a retry.
      await page.route('**/tree/folders/*/items', (r) => r.abort());
      await details('Reading room').locator(':scope > summary').click();
      await folder('Reading room').getByText('The items could not be loaded.').waitFor();
      await page.unroute('**/tree/folders/*/items');
      await folder('Reading room').getByRole('button', { name: 'Try again', exact: true }).click();
      await loaded('Reading room');
      await itemIn('Reading room', TITLE_A).waitFor();
      assert.equal(await folder('Reading room').getByText('The items could not be loaded.').count(), 0);
      // An item dropped on a folder posts its move (one row written: folder and position);
      // the page reloads, with the folders that were open opened again.
      const dropped = page.waitForResponse((r) => /\/items\/\d+\/move$/.test(r.url()) && r.request().method() === 'POST');
      await newDocumentAfter(page, async () => {
        await itemIn('Reading room', TITLE_A).dragTo(details('Later').locator(':scope > summary'));
        await dropped;
      });
      await loaded('Reading room');
      assert.equal(await itemIn('Reading room', TITLE_A).count(), 0);
      assert.equal(await details('Later').evaluate((d) => d.open), false);
      assert.match(await folder('Later').locator('summary .n').first().textContent(), /^1 items$/);
      await open('Later');
      await itemIn('Later', TITLE_A).waitFor();

      // Keyboard alternative: the list's bulk bar moves the checked items.
      await page.goto('/items');
      await page.getByLabel(`Select: ${TITLE_A}`).focus();
      await page.keyboard.press('Space');
      assert.ok(await page.getByLabel(`Select: ${TITLE_A}`).isChecked());
      await page.locator('#bulk select[name=action]').selectOption('move');
      await page.locator('#bulk select[name=folder]').selectOption({ label: 'Private: Reading room' });
      await page.locator('#bulk button[type=submit]').focus();
      await newDocumentAfter(page, () => page.keyboard.press('Enter'));
      assert.equal(new URL(page.url()).pathname, '/items');
      await page.goto('/tree');
      await open('Reading room');
      await itemIn('Reading room', TITLE_A).waitFor();
      // The tree carries no folder forms: each folder links to its edit page.
      assert.equal(await page.locator('.tree form, .tree-items form').count(), 0);
      // Keyboard: ↑ on "Later" (the shared form, its own formaction; shown when the folder
      // is open) puts it first. The folders open before come back open.
      const names = () => page.locator('section[aria-label="Private"] > .tree > li > details > summary .fname').allTextContents();
      assert.deepEqual(await names(), ['Reading room', 'Later']);
      await details('Later').locator(':scope > summary').focus();
      await page.keyboard.press('Enter');
      await loaded('Later');
      await page.getByRole('button', { name: 'Up: Later', exact: true }).focus();
      await newDocumentAfter(page, () => page.keyboard.press('Enter'));
      assert.deepEqual(await names(), ['Later', 'Reading room']);
      await loaded('Later');
      await loaded('Reading room');
      await itemIn('Reading room', TITLE_A).waitFor();
      // And folders move by the parent choice on their edit page: "Later" goes under
      // "Reading room".
      await Promise.all([
        page.waitForURL(/\/tree\/folders\/\d+$/),
        page.getByRole('link', { name: 'Edit folder: Later', exact: true }).click(),
      ]);
      await page.locator('h1', { hasText: 'Edit folder: Later' }).waitFor();
      assert.equal(await page.getByLabel('Folder name').inputValue(), 'Later');
      assert.deepEqual(await page.locator('select[name=parent] option').allTextContents(), ['Top level', 'Reading room']);
      // A blank name is refused on the page, next to the field, keeping the memo typed.
      await page.getByLabel('Folder name').fill(' ');
      await page.getByLabel('Memo').fill('Read after the room.');
      await newDocumentAfter(page, () => page.getByRole('button', { name: 'Save', exact: true }).click());
      await page.locator('.alert', { hasText: 'Please check the highlighted fields.' }).waitFor();
      assert.equal(await page.locator('.field-error:not(:empty)').first().textContent(), 'must not be empty');
      assert.equal(await page.getByLabel('Memo').inputValue(), 'Read after the room.');
      await page.getByLabel('Folder name').fill('Later');
      await Promise.all([page.waitForURL((u) => u.pathname === '/tree'), page.getByRole('button', { name: 'Save', exact: true }).click()]);
      assert.equal(await folder('Later').locator('.memo').first().textContent(), 'Read after the room.');
      await open('Later');
      await page.getByRole('link', { name: 'Edit folder: Later', exact: true }).click();
      await page.getByLabel('Parent folder').selectOption({ label: 'Reading room' });
      await Promise.all([page.waitForURL((u) => u.pathname === '/tree'), page.getByRole('button', { name: 'Move', exact: true }).click()]);
      await open('Reading room');
      await folder('Reading room').locator('ul li summary .fname', { hasText: 'Later' }).waitFor();

      // An item's ↑/↓ submit the same shared form: with JavaScript the row moves in place,
      // and the focus stays on the button.
      const scratch = await api(page, 'POST', '/items', { profile_id: profiles.Private, title: 'Scratch note' });
      await page.goto('/tree');
      // Items in no folder open like a folder (here with the keyboard).
      const loose = page.locator('section[aria-label="Private"] > details.unfiled');
      const openLoose = async () => {
        await loose.locator(':scope > summary').focus();
        await page.keyboard.press('Enter');
        await page.locator('section[aria-label="Private"] > details.unfiled[data-state=loaded]').waitFor();
      };
      await openLoose();
      const unfiled = loose.locator('ul.tree-items > li > a');
      const shown = await unfiled.allTextContents();
      assert.deepEqual([...shown].sort(), [`${TITLE_C} (edited)`, 'Scratch note'].sort());
      const up = page.getByRole('button', { name: `Up: ${shown[1]}`, exact: true });
      await page.evaluate(() => { window.__samePage = true; });
      const stepped = page.waitForResponse((r) => /\/items\/\d+\/move$/.test(r.url()));
      await up.focus();
      await page.keyboard.press('Enter');
      assert.equal((await stepped).status(), 204);
      await page.waitForFunction((t) => document.querySelector('section[aria-label="Private"] > details.unfiled ul.tree-items > li > a').textContent === t, shown[1]);
      assert.ok(await page.evaluate(() => window.__samePage === true), 'no reload');
      assert.ok(await up.evaluate((b) => b === document.activeElement), 'the focus stays on the button');
      await page.reload();
      await openLoose();
      assert.deepEqual(await unfiled.allTextContents(), [shown[1], shown[0]]);
      await api(page, 'DELETE', `/items/${scratch.id}`);
    });

    test('drag a card to another status column on the board, and the form alternative', async () => {
      await page.goto('/groups');
      const column = (name) => page.locator(`.board section[aria-label="${name}"]`);
      const card = (col, title) => column(col).locator('li.item', { hasText: title });
      await card('Undecided', TITLE_C).waitFor();
      const dropped = page.waitForResponse((r) => r.url().endsWith('/items/bulk') && r.request().method() === 'POST');
      // Playwright's dragTo moves the mouse (down, move, up), which SortableJS follows.
      // The board scrolls sideways on narrower screens; "On hold" is in view at this size.
      await card('Undecided', TITLE_C).dragTo(column('On hold'));
      const posted = await dropped;
      assert.equal(new URLSearchParams(posted.request().postData()).get('ids'), String(ids.c));
      await card('On hold', TITLE_C).waitFor();
      assert.equal(await card('Undecided', TITLE_C).count(), 0);
      assert.equal(await column('On hold').locator('h2 .n').textContent(), '2');

      // Keyboard alternative: the bulk bar sets the status of the checked items.
      await page.goto('/items');
      await page.getByLabel(`Select: ${TITLE_C}`).focus();
      await page.keyboard.press('Space');
      await page.locator('#bulk select[name=action]').selectOption('set_status');
      await page.locator('#bulk select[name=status]').selectOption('done');
      await page.locator('#bulk button[type=submit]').focus();
      await newDocumentAfter(page, () => page.keyboard.press('Enter'));
      assert.equal(new URL(page.url()).pathname, '/items');
      await page.goto('/groups?by=status');
      await card('Done', TITLE_C).waitFor();
      assert.equal(await column('Done').locator('h2 .n').textContent(), '1');
      assert.equal(await column('On hold').locator('h2 .n').textContent(), '1');
      // Grouping by tag puts an item under each of its tags.
      await page.locator('select[name=by]').selectOption('tag');
      await page.waitForURL(/by=tag/);
      assert.equal(await page.locator('.board section[aria-label="rust"]').locator('.item-title').count(), 2);
    });

    test('the calendar places an item on every day of its schedule and marks its reminder', async () => {
      await page.goto('/calendar?month=2026-11');
      await page.locator('h1', { hasText: 'November 2026' }).waitFor();
      const day = (n) => page.locator('table.cal td:not(.out)', { has: page.locator(`span.d:text-is("${n}")`) });
      for (const n of [10, 11, 12]) {
        const entry = day(n).locator('li a', { hasText: TITLE_A });
        assert.equal(await entry.count(), 1, `day ${n}`);
        assert.equal(await entry.locator('[aria-label=Reminder]').count(), 0);
      }
      for (const n of [8, 13]) assert.equal(await day(n).locator('li a', { hasText: TITLE_A }).count(), 0, `day ${n}`);
      const reminder = day(9).locator('li a', { hasText: TITLE_A });
      assert.equal(await reminder.count(), 1, 'the reminder day');
      assert.equal(await reminder.locator('[aria-label=Reminder]').count(), 1);
      // Week view of the same days, and the entry opens the item.
      await page.getByRole('link', { name: 'Week', exact: true }).click();
      await page.waitForURL(/week=/);
      await page.goto('/calendar?week=2026-11-11');
      assert.equal(await page.locator('table.cal.week li a', { hasText: TITLE_A }).count(), 4);
      await page.locator('table.cal.week li a', { hasText: TITLE_A }).first().click();
      await page.waitForURL(`**/items/${ids.a}**`);
      await modal(page).locator('#modal-title', { hasText: TITLE_A }).waitFor();
    });

    test('archive and restore keep the status', async () => {
      await page.goto(`/items/${ids.a}`);
      const m = modal(page);
      await Promise.all([page.waitForURL((u) => u.pathname === '/items'), m.getByRole('button', { name: 'Archive' }).click()]);
      assert.ok(!(await listTitles(page)).includes(TITLE_A));
      await page.locator('nav.side a', { hasText: 'Archive' }).click();
      await page.waitForURL('**/archive');
      assert.deepEqual(await listTitles(page), [TITLE_A]);
      await page.locator('#list .item-title', { hasText: TITLE_A }).click();
      await m.locator('.badge', { hasText: 'Archived' }).waitFor();
      await Promise.all([page.waitForURL((u) => u.pathname === '/archive'), m.getByRole('button', { name: 'Unarchive' }).click()]);
      await page.locator('#list .empty').waitFor();
      await page.goto('/items');
      const row = page.locator('#list li.item', { hasText: TITLE_A });
      assert.equal(await row.locator('.badge').first().textContent(), 'In progress');
    });

    test('trash, restore, and empty the trash after confirming', async () => {
      await page.goto(`/items/${ids.d}`);
      const m = modal(page);
      await Promise.all([page.waitForURL((u) => u.pathname === '/items'), m.getByRole('button', { name: 'Move to trash' }).click()]);
      assert.ok(!(await listTitles(page)).includes(TITLE_D));
      await page.goto('/trash');
      assert.deepEqual(await listTitles(page), [TITLE_D]);
      await page.locator('#list .item-title').click();
      await m.locator('.badge', { hasText: 'In trash' }).waitFor();
      await Promise.all([page.waitForURL((u) => u.pathname === '/trash'), m.getByRole('button', { name: 'Restore' }).click()]);
      await page.locator('#list .empty').waitFor();
      await page.goto('/items');
      assert.ok((await listTitles(page)).includes(TITLE_D));

      // Two items to the trash with the bulk bar, then empty it.
      await page.getByLabel(`Select: ${TITLE_D}`).check();
      await page.getByLabel(`Select: ${TITLE_C} (edited)`).check();
      await page.locator('#bulk select[name=action]').selectOption('trash');
      await newDocumentAfter(page, () => page.locator('#bulk button[type=submit]').click());
      await page.goto('/trash');
      assert.equal((await listTitles(page)).length, 2);
      const confirm = page.locator('details.confirm');
      assert.equal(await confirm.getByRole('button', { name: 'Confirm' }).isVisible(), false);
      await confirm.locator('summary').click();
      await confirm.getByText('Every item in the trash will be deleted for good.').waitFor();
      assert.equal((await listTitles(page)).length, 2, 'nothing is deleted before confirming');
      const [emptied] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/trash/empty')),
        confirm.getByRole('button', { name: 'Confirm' }).click(),
      ]);
      assert.equal(emptied.status(), 303);
      await page.locator('#list .empty', { hasText: 'No items.' }).waitFor();
      const gone = await page.request.get(`/items/${ids.d}`);
      assert.equal(gone.status(), 404);
    });

    test('the header drop-down switches the profile', async () => {
      await page.goto('/items');
      const switcher = page.locator('header details.dropdown').first();
      assert.equal(await switcher.locator('summary strong').textContent(), 'All');
      await switcher.locator('summary').click();
      await switcher.getByRole('link', { name: 'Business' }).click();
      await page.waitForURL(`**/items?profile=${profiles.Business}`);
      assert.equal(await switcher.locator('summary strong').textContent(), 'Business');
      assert.deepEqual(await listTitles(page), [TITLE_B]);
      // The side menu keeps the profile.
      await page.locator('nav.side a', { hasText: 'Tree' }).click();
      await page.waitForURL(`**/tree?profile=${profiles.Business}`);
      assert.deepEqual(await page.locator('section.panel[aria-label] > h2').allTextContents(), ['Business']);
      await switcher.locator('summary').click();
      await switcher.getByRole('link', { name: 'Private' }).click();
      await page.waitForURL(`**/tree?profile=${profiles.Private}`);
      assert.deepEqual(await page.locator('section.panel[aria-label] > h2').allTextContents(), ['Private']);
      await switcher.locator('summary').click();
      await switcher.getByRole('link', { name: 'All' }).click();
      await page.waitForURL((u) => u.pathname === '/tree' && u.search === '');
    });

    test('the language switches between English and Japanese in the settings', async () => {
      await page.goto('/settings');
      await page.locator('select[name=locale]').selectOption('ja');
      await Promise.all([page.waitForURL('**/settings**'), page.getByRole('button', { name: 'Save settings' }).click()]);
      await page.locator('h1', { hasText: '設定' }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
      assert.equal(await page.locator('.notice[role=status]').textContent(), '保存しました。');
      assert.deepEqual((await page.locator('nav.side a').allTextContents()).slice(0, 3), ['ダッシュボード', 'アイテム', 'グループ']);
      await page.goto('/items');
      assert.equal(await page.locator('#list li.item', { hasText: TITLE_B }).locator('.badge').first().textContent(), '未着手');
      await page.goto('/settings');
      await page.locator('select[name=locale]').selectOption('en');
      await Promise.all([page.waitForURL('**/settings**'), page.getByRole('button', { name: '設定を保存' }).click()]);
      await page.locator('h1', { hasText: 'Settings' }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.deepEqual((await page.locator('nav.side a').allTextContents()).slice(0, 3), ['Dashboard', 'Items', 'Groups']);
    });

    test('log-out ends the session', async () => {
      await page.goto('/dashboard');
      await page.locator('header details.dropdown.end > summary').click();
      await Promise.all([page.waitForURL('**/login**'), page.getByRole('button', { name: 'Log out' }).click()]);
      await page.locator('h1', { hasText: 'Log in' }).waitFor();
      await page.goto('/items');
      await page.waitForURL(/\/login\?next=/);
      // And logging in again returns to the page asked for.
      await page.fill('input[name=email]', email);
      await page.fill('input[name=password]', 'correct horse battery staple');
      await Promise.all([page.waitForURL('**/items'), page.click('form button[type=submit]')]);
      assert.equal((await listTitles(page)).length, 2);
    });
  });
}

async function readProps(m) {
  return m.locator('dl.props').evaluate((dl) => {
    const out = {};
    dl.querySelectorAll('dt').forEach((dt) => {
      out[dt.textContent.trim()] = dt.nextElementSibling.textContent.trim().replace(/\s+/g, ' ');
    });
    return out;
  });
}

async function countOf(page, label) {
  return page.locator('.counts a.count', { has: page.locator(`span:text-is("${label}")`) }).locator('.n').textContent();
}

/** Waits until the list shows exactly `titles` (sorted comparison). */
async function waitForTitles(page, titles) {
  const want = JSON.stringify([...titles].sort());
  await page.waitForFunction((w) => {
    const got = Array.from(document.querySelectorAll('#list .item-title'), (a) => a.textContent).sort();
    return JSON.stringify(got) === w;
  }, want);
}
