// Starts the real `tidily` binary for a test run, the way crates/tidily/tests/it/common/mod.rs
// does: port 0 (the server reports the port it got in a file), a fresh database of its own (a SQLite file in a temporary
// directory, or a freshly created PostgreSQL database), `tidily migrate` first, then
// `tidily serve --role all`, polled on /api/health. stop() kills the server and removes the
// directory and the database.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function tidilyBin() {
  const bin = process.env.TIDILY_BIN || path.join(repoRoot, 'target', 'debug', 'tidily');
  const abs = path.resolve(repoRoot, bin);
  if (!existsSync(abs)) throw new Error(`tidily binary not found at ${abs} (set TIDILY_BIN or run cargo build)`);
  return abs;
}

/** Runs SQL on the PostgreSQL server of `adminUrl` with psql. */
function psql(adminUrl, sql) {
  const r = spawnSync('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8' });
  if (r.error) throw new Error(`psql: ${r.error.message} (is the PostgreSQL client installed?)`);
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Starts a server on `backend` ('sqlite' or 'postgres'); resolves to
 * { backend, baseUrl, cli(args), log(), stop() }.
 */
export async function startServer(backend) {
  const bin = tidilyBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'tidily-e2e-'));
  let databaseUrl;
  let pg = null;
  if (backend === 'sqlite') {
    databaseUrl = `sqlite://${path.join(dir, 'tidily.db')}?mode=rwc`;
  } else {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
    const name = `tidily_e2e_${randomBytes(8).toString('hex')}`;
    psql(adminUrl, `CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    pg = { adminUrl, name };
  }
  // The server binds port 0 (any free port) and writes the one it got to `portFile`; BASE_URL,
  // a deployment's public address, cannot name a port not yet chosen.
  const portFile = path.join(dir, 'port');
  let baseUrl = null;
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    DATABASE_URL: databaseUrl,
    APP_ENV: 'development',
    JWT_SECRET: randomBytes(32).toString('hex'),
    BIND: '127.0.0.1',
    PORT: '0',
    TIDILY_PORT_FILE: portFile,
    BASE_URL: 'http://127.0.0.1',
    LOG_FORMAT: 'json',
    RUST_LOG: 'warn',
    // The capture tests' web server listens on 127.0.0.1, as a LAN service would.
    CAPTURE_ALLOW_INTERNAL: '127.0.0.1',
    // One failed check makes a link broken here (three over two days by default), so the
    // browser can show a broken link without waiting days.
    LINK_BROKEN_AFTER_FAILURES: '1',
    LINK_BROKEN_AFTER_HOURS: '0',
  };
  const logPath = path.join(dir, 'server.log');
  const cli = (args) => {
    const r = spawnSync(bin, args, { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tidily ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const cleanup = () => {
    if (pg) {
      try { psql(pg.adminUrl, `DROP DATABASE IF EXISTS "${pg.name}" WITH (FORCE)`); } catch { /* litter only */ }
      pg = null;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  let child = null;
  const log = () => { try { return readFileSync(logPath, 'utf8'); } catch { return ''; } };
  try {
    cli(['migrate']);
    const out = openSync(logPath, 'a');
    child = spawn(bin, ['serve', '--role', 'all'], { cwd: dir, env, stdio: ['ignore', out, out] });
    let exited = null;
    child.on('exit', (code) => { exited = code; });
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (exited !== null) throw new Error(`tidily serve exited early (${exited}):\n${log()}`);
      if (!baseUrl && existsSync(portFile)) baseUrl = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
      try {
        const r = baseUrl && await fetch(`${baseUrl}/api/health`);
        if (r && r.status === 200) break;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) throw new Error(`tidily serve did not answer /api/health:\n${log()}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  } catch (e) {
    if (child) child.kill('SIGKILL');
    cleanup();
    throw e;
  }
  // Whatever happens, the server does not outlive the test process.
  const onExit = () => { try { child.kill('SIGKILL'); } catch { /* gone */ } };
  process.on('exit', onExit);
  return {
    backend,
    baseUrl,
    cli,
    log,
    async stop() {
      process.off('exit', onExit);
      if (child && child.exitCode === null) {
        const gone = new Promise((res) => child.once('exit', res));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(timer);
      }
      cleanup();
    },
  };
}
