// axe-core on every view, light and dark; screenshots of every view at phone and desktop size.
// Runs on the demo account of `tidily seed`, so the pages look like a product in use.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { logIn, newContext } from './browser.js';
import { repoRoot } from './server.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const DEMO = { email: 'demo@tidilyspace.local', password: 'tidily-demo-password' };
const OUT = path.join(repoRoot, 'target', 'screenshots');
const DOCS = path.join(repoRoot, 'docs', 'screenshots');
const MAX_BYTES = 200 * 1024;
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } };
const SCHEMES = ['light', 'dark'];

/** Every view: a name, a title for docs/screenshots.md, and how to reach it. */
function views(ids) {
  const today = new Date().toISOString().slice(0, 10);
  return [
    { name: 'login', title: 'Log in', url: '/login', anonymous: true },
    { name: 'signup', title: 'Sign up', url: '/signup', anonymous: true },
    { name: 'dashboard', title: 'Dashboard', url: '/dashboard' },
    { name: 'items', title: 'Item list', url: '/items' },
    { name: 'items-cards', title: 'Item cards', url: '/items?layout=cards' },
    { name: 'item-modal', title: 'Item (read)', url: `/items/${ids.item}` },
    { name: 'item-edit', title: 'Item (edit)', url: `/items/${ids.item}/edit` },
    { name: 'item-new', title: 'New item', url: '/items/new' },
    { name: 'groups', title: 'Groups (by status)', url: '/groups' },
    { name: 'tree', title: 'Tree', url: '/tree', ready: openTree },
    { name: 'tree-folder', title: 'Folder (edit)', url: `/tree/folders/${ids.folder}` },
    { name: 'calendar-month', title: 'Calendar (month)', url: '/calendar' },
    { name: 'calendar-week', title: 'Calendar (week)', url: `/calendar?week=${today}` },
    { name: 'favorites', title: 'Favourites', url: '/favorites' },
    { name: 'archive', title: 'Archive', url: '/archive' },
    { name: 'trash', title: 'Trash', url: '/trash' },
    { name: 'settings', title: 'Settings', url: '/settings' },
    { name: 'settings-profiles', title: 'Settings: profiles', url: '/settings/profiles' },
    { name: 'settings-categories', title: 'Settings: categories', url: '/settings/categories' },
    { name: 'settings-tags', title: 'Settings: tags', url: '/settings/tags' },
    { name: 'settings-tag-delete', title: 'Settings: deleting a tag', url: `/settings/tags/${ids.tag}/delete` },
    { name: 'settings-duplicates', title: 'Settings: duplicates', url: '/settings/duplicates' },
  ];
}

/** Opens the first folder and the items in no folder of the tree's first profile (app.js loads their items). */
async function openTree(page) {
  const section = page.locator('section.panel[aria-label]').first();
  for (const d of [section.locator('.tree > li > details').first(), section.locator('details.unfiled')]) {
    await d.locator(':scope > summary').click();
  }
  await section.locator('.tree > li > details[data-state=loaded]').first().waitFor();
  await section.locator('details.unfiled[data-state=loaded]').waitFor();
}

/** Serious and critical axe-core findings on the page (its context must bypass the CSP). */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} ${n.failureSummary.split('\n').slice(1, 2).join('')}`).join('\n')}`);
}

/**
 * Squeezes a PNG with pngquant when it is over the limit, or always (`force`, the copies kept
 * in docs/, when pngquant is there).
 */
function keepSmall(file, force = false) {
  if (!force && statSync(file).size <= MAX_BYTES) return;
  const r = spawnSync('pngquant', ['--force', '--skip-if-larger', '--quality=60-95', '--output', file, file]);
  if (r.error && !force) throw new Error(`${file} is over ${MAX_BYTES} bytes and pngquant is not installed (apt-get install pngquant)`);
}

export function accessibility(env, { screenshots }) {
  describe(screenshots ? 'accessibility and screenshots' : 'accessibility', () => {
    // bypassCSP: the site's CSP forbids inline script, and addScriptTag inlines axe-core.
    let anon, user, ids = {};
    const shots = [];

    before(async () => {
      env.server.cli(['seed', '--items-per-profile', '60']);
      anon = await newContext(env.browser, env.server.baseUrl, { locale: 'ja-JP', timezoneId: 'Asia/Tokyo', bypassCSP: true });
      user = await newContext(env.browser, env.server.baseUrl, { locale: 'ja-JP', timezoneId: 'Asia/Tokyo', bypassCSP: true });
      const page = await user.newPage();
      await logIn(page, DEMO.email, DEMO.password);
      await page.goto('/items?sort=updated');
      const href = await page.locator('#list .item-title').first().getAttribute('href');
      ids.item = Number(href.match(/\/items\/(\d+)/)[1]);
      await page.goto('/tree');
      const edit = await page.locator('.tree .ftools a[href^="/tree/folders/"]').first().getAttribute('href');
      ids.folder = Number(edit.match(/\/tree\/folders\/(\d+)/)[1]);
      await page.goto('/settings/tags');
      const del = await page.locator('ul.organize a.danger').first().getAttribute('href');
      ids.tag = Number(del.match(/\/settings\/tags\/(\d+)/)[1]);
      await page.close();
      if (screenshots) mkdirSync(OUT, { recursive: true });
    });
    after(async () => {
      await anon?.close();
      await user?.close();
      if (screenshots && process.env.UPDATE_SCREENSHOTS === '1') writeIndex(shots);
    });

    test('every view, light and dark', async () => {
      const problems = [];
      for (const view of views(ids)) {
        const page = await (view.anonymous ? anon : user).newPage();
        try {
          for (const scheme of SCHEMES) {
            await page.emulateMedia({ colorScheme: scheme });
            await page.setViewportSize(SIZES.desktop);
            const resp = await page.goto(view.url);
            assert.equal(resp.status(), 200, `${view.url}`);
            if (view.ready) await view.ready(page);
            for (const v of await axeViolations(page)) problems.push(`${view.name} [${scheme}] ${v}`);
            if (!screenshots) continue;
            for (const [size, viewport] of Object.entries(SIZES)) {
              await page.setViewportSize(viewport);
              const file = path.join(OUT, `${view.name}-${size}-${scheme}.png`);
              await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
              keepSmall(file);
              const bytes = statSync(file).size;
              assert.ok(bytes <= MAX_BYTES, `${file} is ${bytes} bytes`);
              shots.push({ view, size, scheme, file: path.basename(file) });
              if (process.env.UPDATE_SCREENSHOTS === '1') {
                mkdirSync(DOCS, { recursive: true });
                const copy = path.join(DOCS, path.basename(file));
                copyFileSync(file, copy);
                keepSmall(copy, true);
              }
            }
          }
        } finally {
          await page.close();
        }
      }
      assert.deepEqual(problems, [], `axe-core found serious or critical violations:\n${problems.join('\n')}`);
    });
  });
}

function writeIndex(shots) {
  const lines = [
    '# Screenshots',
    '',
    'Every view of the web interface at phone (390×844) and desktop (1440×900) size, in the',
    'light and dark colour schemes, on the demo data of `tidily seed`. They are written by the',
    'browser tests (`scripts/e2e.sh`) to `target/screenshots/` on every run, and copied here',
    'with `UPDATE_SCREENSHOTS=1 scripts/e2e.sh`.',
    '',
  ];
  const byView = new Map();
  for (const s of shots) {
    if (!byView.has(s.view.name)) byView.set(s.view.name, { view: s.view, files: {} });
    byView.get(s.view.name).files[`${s.size}-${s.scheme}`] = s.file;
  }
  for (const { view, files } of byView.values()) {
    lines.push(`## ${view.title}`, '', `\`${view.url.replace(/\d{4}-\d{2}-\d{2}|\/\d+/g, (m) => (m.startsWith('/') ? '/{id}' : 'YYYY-MM-DD'))}\``, '');
    lines.push('| | light | dark |', '|---|---|---|');
    for (const size of Object.keys(SIZES)) {
      const cell = (scheme) => `[![${view.title}, ${size}, ${scheme}](screenshots/${files[`${size}-${scheme}`]})](screenshots/${files[`${size}-${scheme}`]})`;
      lines.push(`| ${size} | ${cell('light')} | ${cell('dark')} |`);
    }
    lines.push('');
  }
  writeFileSync(path.join(repoRoot, 'docs', 'screenshots.md'), lines.join('\n'));
}
