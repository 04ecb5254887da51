// The wasm package also runs under Node: start-up touches no browser API, so a
// vendor's script can use the stateless functions, and a desk in memory
// (`Desk.copyOf`). Only the desk kept in localStorage needs a browser.
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

test('a Desk kept in localStorage says it needs a browser; a desk in memory works under Node', async () => {
  assert.throws(() => pkg.Desk.open(), (error) => {
    assert.ok(error instanceof Error);
    assert.equal(error.kind, 'storage');
    assert.match(error.message, /localStorage is not available here: a Desk needs a browser page/);
    return true;
  });
  // A vendor's script keeps a desk in memory, with Node's own randomness for ids.
  const desk = pkg.Desk.copyOf({});
  const now = '2026-11-27T09:00:00Z';
  desk.apply({ type: 'chooseRole', role: { kind: 'partner', partnerId: 'p-nordlys' } }, now);
  const read = (path) => readFile(`${ROOT}/www/demo/${path}`, 'utf8');
  desk.loadDataset(await read('programme.json'), await read('dataset.json'), now);
  const draft = {
    partnerId: '', customer: { name: 'Fjordbris AS', country: 'NO' }, products: [{ sku: 'NX-SW24', quantity: 2 }],
    value: 9000, currency: 'EUR', expectedClose: '2027-01-15', stage: 'qualify',
  };
  const ids = [1, 2].map(() => desk.apply({ type: 'register', draft, submit: true }, now));
  assert.notEqual(ids[0], ids[1]);
  for (const id of ids) assert.match(id, /^p-nordlys-[0-9a-hjkmnp-tv-z]{26}$/);
  const submission = JSON.parse(desk.exportSubmission(now));
  assert.ok(ids.every((id) => submission.registrations.some((r) => r.id === id)));
  desk.free();
});

test('evaluateRegistration explains every rule for a vendor script', async () => {
  const programme = JSON.parse(await readFile(`${ROOT}/www/demo/programme.json`, 'utf8'));
  const { registrations } = JSON.parse(await readFile(`${ROOT}/www/demo/dataset.json`, 'utf8'));
  const draft = {
    partnerId: 'p-thames',
    customer: { name: 'Harrow Foods Ltd', country: 'GB', domain: 'harrowfoods.co.uk' },
    products: [{ sku: 'SG-FW200', quantity: 2 }],
    value: 15000, currency: 'GBP', expectedClose: '2027-02-01', stage: 'scope',
    qualification: ['budget', 'decisionMaker', 'need'],
  };
  const decision = pkg.evaluateRegistration(programme, registrations, draft, '2026-11-27T10:00:00Z');
  assert.equal(decision.outcome, 'approved');
  assert.equal(decision.firstFailure, null);
  assert.equal(decision.protectedUntil, '2027-02-25');
  assert.equal(decision.valueInProgrammeCurrency, 17550);
  // Every rule passes; the lead rule has no leads to look at.
  assert.deepEqual(decision.rules.filter((r) => r.check !== 'passed').map((r) => [r.rule, r.check]), [['leadAssignment', 'notApplicable']]);
  assert.equal(decision.rules.length, 12);
  assert.match(decision.rules[3].detail, /^deal value 15,000 GBP = 17,550 EUR meets the minimum 5,000 EUR$/);
  // The same registration the day after the programme ends.
  const late = pkg.evaluateRegistration(programme, registrations, draft, '2027-07-01T10:00:00Z');
  assert.equal(late.outcome, 'rejected');
  assert.equal(late.firstFailure, 'period');
});

test('a CustomerIndex finds a misspelled customer among many, with the match', () => {
  const customers = ['Volvo Car Corporation', 'Scania CV AB', 'Ericsson', 'Husqvarna AB', 'Atlas Copco AB']
    .map((name) => ({ name, country: 'SE' }));
  const index = new pkg.CustomerIndex(customers);
  assert.equal(index.size, 5);
  const found = index.search({ name: 'VOLVO CARS AB', country: 'SE' });
  assert.deepEqual(found.map((f) => [f.position, f.match.verdict]), [[0, 'same']]);
  assert.ok(found[0].match.evidence.some((s) => s.signal === 'name'));
  assert.deepEqual(index.search({ name: 'Sandvik' }), []);
  assert.throws(() => new pkg.CustomerIndex([{ nom: 'x' }]), /customers is not valid: \$\[0\]\.nom: unknown field `nom`/);
});

test('a CustomerIndex scan finds each matching pair once, with evidence on demand', () => {
  const names = ['Volvo Car Corporation', 'Scania CV AB', 'VOLVO CARS AB', 'Ericsson', 'Sacnia CV', 'Volvo Cars'];
  const index = new pkg.CustomerIndex(names.map((name) => ({ name, country: 'SE' })));
  const { pairs, scores } = index.scan();
  assert.ok(pairs instanceof Uint32Array && scores instanceof Float64Array);
  const score = new Map();
  for (let k = 0; k < scores.length; k++) score.set(`${pairs[2 * k]}-${pairs[2 * k + 1]}`, scores[k]);
  assert.deepEqual([...score.keys()].sort(), ['0-2', '0-5', '1-4', '2-5']);
  const match = index.compare(1, 4);
  assert.equal(match.score, score.get('1-4'));
  assert.ok(match.evidence.some((s) => s.signal === 'name'));
  assert.throws(() => index.compare(0, 6), /the index holds 6 customers/);
});

test('tableCsv writes any table as RFC 4180 CSV, formulas kept as text', () => {
  const csv = pkg.tableCsv(['Partner', 'Revenue'], [['Smith, Jones', 1250.5], ['=1+1', null], ['Nordlys "IT"', -3]], false);
  assert.equal(csv, 'Partner,Revenue\r\n"Smith, Jones",1250.5\r\n\'=1+1,\r\n"Nordlys ""IT""",-3\r\n');
  assert.ok(pkg.tableCsv(['A'], [], true).startsWith('\ufeff'));
  assert.throws(() => pkg.tableCsv('not a list', [], false), /header/);
});

test('readProgramme reads a signed programme file too', async () => {
  const signed = await readFile(`${ROOT}/tests/fixtures/files/v2/programme.json`, 'utf8');
  assert.ok(JSON.parse(signed).signature);
  assert.equal(pkg.readProgramme(signed).vendorKey, JSON.parse(signed).signature.key);
});

test('scoreLead and routeLead work for a vendor script, explained', async () => {
  const programme = pkg.readProgramme(await readFile(`${ROOT}/www/demo/programme.json`, 'utf8'));
  const lead = {
    id: 'WEB-1', revision: 1, campaignId: 'C-EDGE', company: 'Fjordbris Maskin AS', domain: 'fjordbris.no',
    contactName: 'Ola', email: 'ola@fjordbris.no', country: 'NO', industry: 'manufacturing', employees: 420,
    budget: 85000, timing: 'thisQuarter', productLine: 'net', status: 'new', assignedTo: null,
    activities: [{ kind: 'demoRequest', at: '2026-11-20T10:00:00Z' }], createdAt: '2026-11-01T09:00:00Z',
  };
  const score = pkg.scoreLead(programme, lead, '2026-11-20T10:00:00Z');
  // 10 industry + 10 employees + 15 budget + 10 timing + 5 business e-mail, and a demo request today.
  assert.deepEqual([score.fit, score.engagement, score.score, score.grade], [50, 20, 70, 'SQL']);
  assert.ok(score.contributions.some((c) => c.signal === '1 × demo request' && c.points === 20));
  // Older, the demo request counts less: half after the model's half-life.
  const later = pkg.scoreLead(programme, lead, '2027-01-04T10:00:00Z');
  assert.equal(later.engagement, 10);

  const routing = pkg.routeLead(programme, lead, { 'p-nordlys': 3 }, 7);
  assert.equal(routing.chosen, 'p-nordlys');
  const lagom = routing.candidates.find((c) => c.partnerId === 'p-lagom');
  assert.deepEqual([lagom.eligible, lagom.reasons], [false, ['does not sell in NO']]);
  assert.deepEqual(pkg.routeLead(programme, lead, {}, 7), pkg.routeLead(programme, lead, {}, 7));
  const full = pkg.routeLead(programme, lead, { 'p-nordlys': 25 }, 7);
  assert.equal(full.chosen, null);
  assert.throws(() => pkg.routeLead(programme, { ...lead, country: 5 }, {}, 1), /lead.*\$\.country/);
});

test('a Sandbox prepared once gives what simulate gives, change after change', async () => {
  const a = pkg.readProgramme(await readFile(`${ROOT}/www/demo/programme.json`, 'utf8'));
  const dataset = JSON.parse(await readFile(`${ROOT}/www/demo/dataset.json`, 'utf8'));
  const asOf = '2026-11-27T09:00:00.000Z';
  const sandbox = new pkg.Sandbox(dataset, asOf);
  assert.equal(sandbox.asOf, asOf);
  sandbox.keepSideA(a); // decided ahead: the first simulate below decides only B
  assert.equal(sandbox.registrations, pkg.simulate(a, a, dataset, asOf).registrations);
  const changes = [60, 90, 30, 60].map((protectionDays) => ({ ...a, protectionDays }));
  for (const b of changes) {
    const want = pkg.simulate(a, b, dataset, asOf);
    assert.deepEqual(sandbox.simulate(a, b), want, `protection ${b.protectionDays} days`);
    // And with the sides swapped: programme A is not the one kept.
    assert.deepEqual(sandbox.simulate(b, a), pkg.simulate(b, a, dataset, asOf));
  }
  // Explained on demand: the outline first, then any range of the differences.
  const higher = { ...a, minimumDealValue: 20000 };
  const want = pkg.simulate(a, higher, dataset, asOf);
  const outline = sandbox.simulate(a, higher, 1);
  const n = want.differences.length;
  assert.ok(n > 10, `${n} decided otherwise under a minimum of 20,000`);
  assert.deepEqual(outline.differences.map((d) => [d.registrationId, d.a.outcome, d.b.outcome]), want.differences.map((d) => [d.registrationId, d.a.outcome, d.b.outcome]));
  assert.deepEqual(outline.differences.map((d) => d.a.summary === null), want.differences.map((_, k) => k >= 1));
  assert.deepEqual(sandbox.explain(1, n + 10), want.differences.slice(1));
  assert.deepEqual(outline.a, want.a);
  assert.throws(() => new pkg.Sandbox(dataset, asOf).explain(0, 1), /nothing to explain yet/);
  assert.throws(() => new pkg.Sandbox({ registrations: [{ id: 7 }] }, asOf), /dataset is not valid: \$\.registrations\[0\]/);
  assert.throws(() => sandbox.simulate(a, { ...a, protectionDays: -1 }), /programme/);
  sandbox.free();

  // From a file's text: a data set has no programme; a backup brings its own.
  const text = await readFile(`${ROOT}/www/demo/dataset.json`, 'utf8');
  const fromDataset = pkg.Sandbox.fromFile(text, asOf);
  assert.equal(fromDataset.programme, null);
  assert.deepEqual(fromDataset.simulate(a, higher), want);
  const backup = JSON.stringify({ format: 'dealreg.workspace', version: 4, role: { kind: 'vendor' }, programme: a, registrations: dataset.registrations });
  const fromBackup = pkg.Sandbox.fromFile(backup, asOf);
  assert.deepEqual(fromBackup.programme, a);
  assert.deepEqual(fromBackup.simulate(fromBackup.programme, higher), want);
  assert.throws(() => pkg.Sandbox.fromFile('{"format": "dealreg.key", "version": 1}', asOf), /that is a dealreg key file/);
  assert.throws(() => pkg.Sandbox.fromFile('[1, 2', asOf), /not JSON|not a JSON object/);
  fromDataset.free();
  fromBackup.free();
});
