// End to end in browser mode: the built renderer in headless chromium, talking to the real
// services over the real HTTP server and WebSocket. Screenshots land in test-results/e2e/.
import assert from 'node:assert/strict';
import { existsSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { appRunner, e2eSession, e2eSkipReason, foreignRequests, openApp } from '../helpers/browser-mode';

const skip = e2eSkipReason();

describe('browser mode', { skip }, () => {
  const env = e2eSession();

  const withApp = appRunner(() => env, { failureName: 'failed' });

  const dialog = (page: Page, name: string) => page.getByRole('dialog', { name });
  const recentRow = (page: Page, name: string) => page.getByRole('table', { name: 'Recent projects' }).getByRole('row').filter({ hasText: name });

  async function createProject(page: Page, name: string, location?: string) {
    await page.getByRole('button', { name: 'New project' }).click();
    const modal = dialog(page, 'New project');
    await modal.getByLabel('Name').fill(name);
    if (location) await modal.getByLabel('Location').fill(location);
    await modal.getByRole('button', { name: 'Create project' }).click();
    await modal.waitFor({ state: 'hidden' });
  }

  test('creates a project, lists it after a reload, and opens it with its details', async () => {
    await withApp(async ({ page, screenshot }) => {
      await page.getByRole('heading', { name: 'Projects', level: 2 }).waitFor();
      assert.equal(new URL(page.url()).searchParams.has('token'), false, 'the token must leave the address bar');
      await page.getByText('No projects yet').waitFor();

      // An empty name comes back from the API as a field-level issue, shown under the Name input.
      await page.getByRole('button', { name: 'New project' }).click();
      const modal = dialog(page, 'New project');
      await modal.getByRole('button', { name: 'Create project' }).click();
      await modal.getByText('A project needs a name').waitFor();
      assert.equal(await modal.getByLabel('Name').getAttribute('aria-invalid'), 'true');
      await screenshot('new-project-field-error');
      await modal.getByRole('button', { name: 'Cancel' }).click();

      // Keyboard: Enter in the form submits it.
      await page.getByRole('button', { name: 'New project' }).click();
      await modal.getByLabel('Name').fill('Arabidopsis promoters');
      await modal.getByLabel('Name').press('Enter');
      await modal.waitFor({ state: 'hidden' });
      const details = page.getByRole('table', { name: 'Project details' });
      await details.waitFor();
      const file = (await details.getByRole('row').filter({ hasText: 'File' }).getByRole('cell').textContent()) ?? '';
      assert.equal(file, join(env.server.ctx.dataDir, 'projects', 'arabidopsis-promoters.loci'));
      assert.ok(existsSync(file), 'the project file exists on disk');
      assert.equal(await page.getByTestId('open-project-name').textContent(), 'Arabidopsis promoters');

      await page.reload();
      await recentRow(page, 'Arabidopsis promoters').waitFor();
      // The tab remembers its open project across the reload; close it, then open it from the list.
      await page.getByRole('button', { name: 'Close' }).click();
      await details.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Open Arabidopsis promoters' }).click();
      await details.waitFor();
      const schema = await details.getByRole('row').filter({ hasText: 'Schema version' }).getByRole('cell').textContent();
      assert.match(schema ?? '', /^\d+$/);
      for (const label of ['Genomes: 0', 'Datasets: 0', 'Models: 0', 'Training runs: 0']) {
        await page.getByRole('listitem', { name: label }).waitFor();
      }
      await screenshot('project-details');
    });
  });

  test('shows why a file that is not a Loci project cannot be opened', async () => {
    const textFile = join(env.server.tmp, 'notes.txt');
    writeFileSync(textFile, 'ACGT is not a project\n');
    const otherDb = join(env.server.tmp, 'places.sqlite');
    const db = new Database(otherDb);
    db.exec('CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES (\'http://example.org\');');
    db.close();

    await withApp(async ({ page, screenshot }) => {
      for (const [path, shot] of [
        [textFile, 'open-text-file'],
        [otherDb, 'open-other-sqlite'],
      ] as const) {
        await page.getByRole('button', { name: 'Open project' }).click();
        const modal = dialog(page, 'Open project');
        await modal.getByLabel('Project file').fill(path);
        await modal.getByRole('button', { name: 'Open', exact: true }).click();
        const alert = modal.locator('[data-error-code="not_a_project"]');
        await alert.waitFor();
        assert.equal(await alert.getAttribute('role'), 'alert');
        const text = (await alert.textContent()) ?? '';
        assert.match(text, /Not a Loci project/);
        assert.ok(text.includes(`${path} is not a Loci project`), `the alert names the file: ${text}`);
        await screenshot(shot);
        await modal.getByRole('button', { name: 'Cancel' }).click();
        await modal.waitFor({ state: 'hidden' });
      }
      // Nothing was opened and nothing was added to the recent list.
      assert.equal(await page.getByTestId('open-project-name').count(), 0);
    });
  });

  test('greys a moved project file as missing and forgets it', async () => {
    const path = join(env.server.tmp, 'moved.loci');
    await withApp(async ({ page, screenshot }) => {
      await createProject(page, 'Soon moved', path);
      await page.getByRole('button', { name: 'Close' }).click();
      renameSync(path, join(env.server.tmp, 'elsewhere.loci'));
      await page.reload();
      const row = recentRow(page, 'Soon moved');
      await row.getByText('file missing').waitFor();
      assert.equal(await row.getAttribute('data-missing'), 'true');
      assert.equal(await row.getByRole('button', { name: 'Open Soon moved' }).count(), 0, 'a missing file offers no Open');
      await screenshot('recent-file-missing');
      await row.getByRole('button', { name: 'Forget Soon moved' }).click();
      await row.waitFor({ state: 'detached' });
    });
  });

  test('a failure toast goes once the next action works, so it never sits over the Recent list (issue 10)', async () => {
    const path = join(env.server.tmp, 'vanishing.loci');
    await withApp(async ({ page, screenshot }) => {
      await createProject(page, 'Vanishing', path);
      await page.getByRole('button', { name: 'Close' }).click();
      // Moved while the list still shows it: Open fails and says so in a toast.
      renameSync(path, join(env.server.tmp, 'vanished.loci'));
      await page.getByRole('button', { name: 'Open Vanishing' }).click();
      const failure = page.locator('.mantine-Notification-root').filter({ hasText: 'Could not open the project' });
      await failure.waitFor();
      assert.doesNotMatch((await failure.textContent()) ?? '', /projects\.open|Invalid input for/, 'the message is for people');
      await screenshot('failure-toast');
      // A project made next: its success replaces the stale failure.
      await createProject(page, 'Made next', join(env.server.tmp, 'made-next.loci'));
      await page.locator('.mantine-Notification-root').filter({ hasText: 'Made next is saved at' }).waitFor();
      // At once, not when the failure's own 8 s run out.
      await failure.waitFor({ state: 'detached', timeout: 1_500 });
      await screenshot('failure-toast-cleared');
    });
  });

  test('renames a project, then deletes it once its name is typed', async () => {
    const path = join(env.server.tmp, 'short-lived.loci');
    await withApp(async ({ page, screenshot }) => {
      await createProject(page, 'Short lived', path);
      await page.getByRole('button', { name: 'Rename' }).click();
      const rename = dialog(page, 'Rename project');
      await rename.getByLabel('New name').fill('Short lived (renamed)');
      await rename.getByRole('button', { name: 'Rename' }).click();
      await rename.waitFor({ state: 'hidden' });
      await page.getByTestId('open-project-name').filter({ hasText: 'Short lived (renamed)' }).waitFor();
      await recentRow(page, 'Short lived (renamed)').waitFor();

      await page.getByRole('button', { name: 'Delete…' }).click();
      const confirm = dialog(page, 'Delete project');
      const deleteButton = confirm.getByRole('button', { name: 'Delete project' });
      await confirm.getByLabel('Type “Short lived (renamed)” to confirm').fill('Short lived');
      assert.equal(await deleteButton.isDisabled(), true, 'a wrong name cannot delete');
      await confirm.getByLabel('Type “Short lived (renamed)” to confirm').fill('Short lived (renamed)');
      await screenshot('delete-confirm');
      await deleteButton.click();
      await confirm.waitFor({ state: 'hidden' });
      await page.getByText('No project open').waitFor();
      await recentRow(page, 'Short lived (renamed)').waitFor({ state: 'detached' });
      assert.equal(existsSync(path), false, 'the project file was deleted');
    });
  });

  test('the status bar shows the compute backend and the mode', async () => {
    const report = await env.server.services['system.backend']({ refresh: false });
    await withApp(async ({ page, screenshot }) => {
      const backend = page.getByTestId('compute-backend');
      await backend.waitFor();
      assert.equal(await backend.textContent(), `Compute: ${report.summary}`);
      assert.equal(await page.getByTestId('app-mode').textContent(), 'Browser mode');
      // The tooltip explains every candidate and why it is (not) used.
      await backend.hover();
      const tooltip = page.getByRole('tooltip');
      await tooltip.waitFor();
      const tip = (await tooltip.textContent()) ?? '';
      for (const c of report.candidates) assert.ok(tip.includes(c.name) && tip.includes(c.reason), `tooltip lists ${c.name}: ${tip}`);
      await screenshot('status-bar-backend');
    });
  });

  test('the page never makes a request beyond 127.0.0.1, in light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await withApp(
        async ({ page, requests, screenshot }) => {
          await createProject(page, `Offline check ${colorScheme}`);
          await page.getByRole('table', { name: 'Project details' }).waitFor();
          await page.getByTestId('compute-backend').waitFor();
          await page.getByRole('button', { name: 'Open project' }).click();
          await dialog(page, 'Open project').getByLabel('Project file').fill('/nonexistent/x.loci');
          await dialog(page, 'Open project').getByRole('button', { name: 'Open', exact: true }).click();
          await dialog(page, 'Open project').locator('[data-error-code="not_found"]').waitFor();
          await dialog(page, 'Open project').getByRole('button', { name: 'Cancel' }).click();
          await dialog(page, 'Open project').waitFor({ state: 'hidden' });
          await screenshot(`offline-${colorScheme}`);
          assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme')), colorScheme);
          assert.ok(requests.some((u) => u.includes('/api/projects.create')), 'the API calls were recorded');
          assert.ok(requests.some((u) => u.startsWith('ws://127.0.0.1')), 'the event socket was recorded');
          assert.deepEqual(foreignRequests(requests, env.server.http.origin), []);
        },
        { colorScheme },
      );
    }
  });

  test('remembers the chosen color scheme across a reload', async () => {
    await withApp(async ({ page, screenshot }) => {
      const scheme = () => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));
      await page.getByRole('radiogroup', { name: 'Color scheme' }).waitFor();
      assert.equal(await scheme(), 'light', 'auto follows the (light) system scheme');
      // The radio inputs are visually hidden; people click their labels.
      await page.getByRole('radiogroup', { name: 'Color scheme' }).locator('label').filter({ hasText: 'Dark' }).click();
      assert.equal(await scheme(), 'dark');
      await page.reload();
      await page.getByRole('heading', { name: 'Projects', level: 2 }).waitFor();
      assert.equal(await scheme(), 'dark');
      assert.equal(await page.getByRole('radio', { name: 'Dark' }).isChecked(), true);
      await screenshot('dark-after-reload');
    });
  });

  test('the request guard itself notices a request beyond 127.0.0.1', async () => {
    // Proves the check above can fail: an outside fetch is either recorded or refused by the CSP.
    const app = await openApp(env.browser, env.server.http.url);
    try {
      await app.page.getByTestId('compute-backend').waitFor();
      await app.page.evaluate(() => fetch('http://example.invalid/ping').catch(() => undefined));
      const seen = foreignRequests(app.requests, env.server.http.origin).length + app.problems.filter((p) => p.includes('example.invalid')).length;
      assert.ok(seen > 0, `an outside fetch went unnoticed: ${JSON.stringify({ requests: app.requests, problems: app.problems })}`);
    } finally {
      await app.close();
    }
  });

  test('without the token the page says which address to open', async () => {
    const app = await openApp(env.browser, env.server.http.origin + '/');
    try {
      await app.page.getByText('Open the address that loci serve printed (it contains the access token).').waitFor();
      await app.screenshot('no-token');
      assert.equal(await app.page.getByTestId('compute-backend').count(), 0);
    } finally {
      await app.close();
    }
  });

  test('marks read-only and unavailable projects in the list with the reason, and a read-only project shows a banner (issue 9)', async (t) => {
    const { api } = env;
    const locked = await api('projects.create', { name: 'Locked share', path: join(env.server.tmp, 'locked.loci') });
    const broken = await api('projects.create', { name: 'Broken copy', path: join(env.server.tmp, 'broken.loci') });
    env.server.ctx.projects.closeAll();
    truncateSync(broken.path, 1000); // a cut-short copy: the SQLite header stays, the pages are gone
    const chattr = spawnSync('chattr', ['+i', locked.path]);
    if (chattr.status !== 0) return t.skip('chattr +i is not permitted here (needs root on a filesystem with attributes)');
    try {
      await withApp(async ({ page, screenshot }) => {
        const brokenRow = recentRow(page, 'Broken copy');
        await brokenRow.getByText('unavailable', { exact: true }).waitFor();
        assert.match((await brokenRow.textContent()) ?? '', /Cannot be opened: /);
        assert.equal(await brokenRow.getByRole('button', { name: 'Open Broken copy' }).count(), 0, 'no Open button for a file that cannot open');
        const lockedRow = recentRow(page, 'Locked share');
        await lockedRow.getByText('read-only', { exact: true }).waitFor();
        assert.match((await lockedRow.textContent()) ?? '', /Opens for reading only: the file is marked immutable/);
        await screenshot('projects-read-only-and-unavailable');

        await page.getByRole('button', { name: 'Open Locked share' }).click();
        const banner = page.getByTestId('read-only-banner');
        await banner.waitFor();
        assert.match((await banner.textContent()) ?? '', /This project is read-only.*may not write this file \(the file is marked immutable\)/);
        // Every page of the project keeps the banner.
        await page.getByRole('link', { name: 'Data' }).click();
        await banner.waitFor();
        await screenshot('read-only-banner-data');
      });
    } finally {
      env.server.ctx.projects.closeAll();
      spawnSync('chattr', ['-i', locked.path]);
    }
  });
});
