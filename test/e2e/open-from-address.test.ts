// A project named in the address opens on load: how `npm start` lands on the demo project,
// `loci serve --open P` on P, and the desktop menu / a double-clicked .loci file on theirs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { e2eSession, e2eSkipReason, openApp } from '../helpers/browser-mode';

describe('a project in the address', { skip: e2eSkipReason() }, () => {
  const env = e2eSession();

  test('opens it, then leaves the address clean', async () => {
    const created = await env.server.services['projects.create']({ name: 'Yeast promoters', path: join(env.server.tmp, 'yeast.loci') });
    const url = `${env.server.http.url}&project=${encodeURIComponent(created.path)}`;
    const app = await openApp(env.browser, url);
    try {
      await app.page.getByText('Yeast promoters').first().waitFor();
      await app.page.getByRole('link', { name: 'Data' }).click();
      await app.page.getByRole('heading', { name: 'Data' }).waitFor();
      assert.equal(await app.page.getByText('No project open').count(), 0, 'the Data page must see the project from the address');
      const params = new URL(app.page.url()).searchParams;
      assert.equal(params.has('project'), false, 'the project path must leave the address bar');
      assert.equal(params.has('token'), false);
      await app.screenshot('open-from-address');
      assert.deepEqual(app.problems, []);
    } finally {
      await app.close();
    }
  });

  test('a path that is not a project shows why instead of a blank page', async () => {
    const app = await openApp(env.browser, `${env.server.http.url}&project=${encodeURIComponent(join(env.server.tmp, 'missing.loci'))}`);
    try {
      await app.page.getByText('Could not open the project').waitFor();
      await app.screenshot('open-from-address-missing');
    } finally {
      await app.close();
    }
  });
});
