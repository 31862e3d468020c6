// End-to-end tests of the web interface in a real browser (headless Chromium).
//
// Every backend (SQLite always; PostgreSQL when TEST_DATABASE_URL is set) gets a server of its
// own, and the same flows, security checks and accessibility checks run against each, one
// after the other, in one browser. Screenshots are taken on the first backend only (the pages
// are the same).
import { after, before, describe, test } from 'node:test';
import { capture } from '../lib/capture.js';
import { flows } from '../lib/flows.js';
import { organize } from '../lib/organize.js';
import { security } from '../lib/security.js';
import { touch } from '../lib/touch.js';
import { noJs } from '../lib/nojs.js';
import { accessibility } from '../lib/a11y.js';
import { launchBrowser } from '../lib/browser.js';
import { startServer } from '../lib/server.js';

const backends = ['sqlite'];
if (process.env.TEST_DATABASE_URL) {
  backends.push('postgres');
} else if (process.env.TIDILY_REQUIRE_POSTGRES === '1') {
  throw new Error('TIDILY_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set');
} else {
  console.error('\n!!! SKIPPED: TEST_DATABASE_URL is not set, the browser tests run on SQLite only\n');
}

const env = { browser: null, server: null };
before(async () => { env.browser = await launchBrowser(); });
after(async () => { await env.browser?.close(); });

backends.forEach((backend, i) => {
  describe(backend, () => {
    before(async () => { env.server = await startServer(backend); });
    after(async () => {
      const server = env.server;
      env.server = null;
      await server?.stop();
    });
    flows(env);
    organize(env);
    capture(env);
    security(env);
    touch(env);
    noJs(env);
    accessibility(env, { screenshots: i === 0 });
  });
});
