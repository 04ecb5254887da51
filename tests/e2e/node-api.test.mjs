// The wasm package also runs under Node: start-up touches no browser API, so a
// vendor's script can use the stateless functions. Only Desk needs a browser.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { ROOT } from './helpers.mjs';

const pkg = await import(`${ROOT}/www/pkg/dealreg.js`);
pkg.initSync({ module: await readFile(`${ROOT}/www/pkg/dealreg_bg.wasm`) });

test('the stateless functions run under Node', async () => {
  assert.match(pkg.version(), /^\d+\.\d+\.\d+$/);
  const programme = pkg.readProgramme(await readFile(`${ROOT}/www/demo/programme.json`, 'utf8'));
  assert.equal(programme.protectionDays, 90);
  assert.equal(programme.partners.length, 6);
  assert.equal(programme.stageProbabilities.propose, 0.7);
});

test('errors are Error objects with a kind and problems by JSON path', () => {
  assert.throws(() => pkg.readProgramme('{"format":"dealreg.programme","version":1,"id":7}'), (error) => {
    assert.ok(error instanceof Error, 'an Error, not a string');
    assert.equal(error.name, 'DealregError');
    assert.equal(error.kind, 'invalid');
    assert.equal(error.problems[0].path, '$.id');
    assert.match(error.message, /^programme file is not valid: \$\.id: invalid type: integer `7`, expected a string$/);
    return true;
  });
  assert.throws(() => pkg.readBackup('[]'), /backup file is not valid: \$: is not a JSON object/);
});

test('a Desk under Node says it needs a browser', () => {
  assert.throws(() => pkg.Desk.open(), (error) => {
    assert.ok(error instanceof Error);
    assert.equal(error.kind, 'storage');
    assert.match(error.message, /localStorage is not available here: a Desk needs a browser page/);
    return true;
  });
});
