// @ts-check
/**
 * The programme sandbox: a data set (this desk's, the demo, or a backup or
 * data set file), its programme as A, and an edited copy as B, changed in
 * the same editor as the real programme. Running it re-evaluates every
 * registration under both and shows them side by side: a chart, the
 * figures, rejections by rule, the partners most affected, and every
 * registration whose outcome differs with both explanations (as CSV too).
 * It works on copies: nothing here is saved to the desk.
 */
import * as desk from './desk.js';
import { download, h, mount, paged } from './dom.js';
import { money, today } from './format.js';
import { notify } from './messages.js';
import { editProgramme } from './programme-editor.js';
import { chart } from './reports-view.js';

/**
 * @typedef {import('./desk.js').Workspace} Workspace
 * @typedef {import('./desk.js').Programme} Programme
 * @typedef {import('./desk.js').Simulation} Simulation
 * @typedef {{ name: string, programme: Programme }} Data
 */

/** @param {Workspace} ws */
export function sandboxView(ws) {
  const area = h('div', { id: 'sandbox-work' });
  const source = h('select', { id: 'sandbox-source', 'aria-label': 'Data to try the rules on' },
    ws.programme ? h('option', { value: 'desk' }, `This desk (${ws.registrations.length} registrations)`) : null,
    h('option', { value: 'demo' }, 'The demo data'),
    h('option', { value: 'file' }, 'A backup or data set file…'));
  const file = h('input', { type: 'file', id: 'sandbox-file', accept: '.json,application/json', hidden: true });
  // The data held for the view opened before goes with it.
  held?.free();
  held = undefined;
  /** The workbench shown, and the choice of data it came from, kept when other data cannot be read. */
  let shown = /** @type {HTMLElement | null} */ (null);
  let shownSource = source.value;

  /**
   * @param {string} name what the data is, for people
   * @param {'desk' | string} from this desk's registrations, or a file's text
   * @param {Programme | undefined} programme A, unless a backup brings its own
   */
  const open = (name, from, programme) => {
    mount(area, h('p', { class: 'muted', id: 'sandbox-progress' }, `Reading ${name} and deciding its registrations under the programme as it is…`));
    // Let the message paint: a large data set takes a moment.
    setTimeout(() => {
      const ready = desk.prepareSandbox(from, programme);
      if ('failure' in ready) {
        // The data tried before stays, and so does its sandbox.
        const { message, problems } = ready.failure;
        source.value = shownSource;
        mount(area, h('div', { class: 'bad', role: 'alert', id: 'sandbox-failure' },
          h('p', {}, `${name} cannot be tried: ${message}`),
          problems.length > 1 ? h('ul', { class: 'problems' }, problems.slice(0, 10).map((p) => h('li', {}, h('code', {}, p.path), ' ', p.message))) : null),
        shown);
        return;
      }
      held?.free();
      held = ready.sandbox;
      shown = workbench({ name, programme: ready.programme }, held);
      shownSource = source.value;
      mount(area, shown);
    }, 20);
  };
  const choose = async () => {
    if (source.value === 'desk' && ws.programme) {
      open('this desk', 'desk', ws.programme);
    } else if (source.value === 'demo') {
      const texts = await desk.demoFiles();
      if (!texts) return; // the alert says why
      const read = desk.readProgramme(texts[0]);
      if ('failure' in read) {
        mount(area, h('p', { class: 'bad' }, `The demo programme cannot be read: ${read.failure.message}`));
        return;
      }
      open('the demo data', texts[1], read.programme);
    } else {
      file.hidden = false;
      file.click();
    }
  };
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    file.value = '';
    if (!chosen) return;
    // A backup brings its programme (read and checked whole); a data set is tried with this desk's.
    open(chosen.name, await chosen.text(), ws.programme ?? undefined);
  });
  source.addEventListener('change', choose);
  choose();
  return h('section', { class: 'sandbox' },
    h('header', { class: 'area-head' }, h('h1', {}, 'Sandbox'),
      h('p', { class: 'lead' }, 'Try a change to the programme on real data before making it: every registration is decided again, in the order the vendor received them, under the programme as it is (A) and as you change it (B). Nothing here changes your desk.')),
    h('div', { class: 'toolbar' }, h('label', { for: 'sandbox-source' }, 'Data '), source, file),
    area);
}

/** Differences drawn, and explained, at a time. */
const PAGE = 100;

/**
 * The data the sandbox holds in the module: the one before is freed once
 * other data is ready (so a file that cannot be read loses nothing), or when
 * the sandbox is opened again (each holds the registrations decided twice).
 * @type {import('../pkg/dealreg.js').Sandbox | undefined}
 */
let held;

/**
 * Programme B's editor, and the comparison once run. The data is run as of
 * the moment it was prepared, so that each change is compared on the same
 * registrations and programme A is decided only once.
 * @param {Data} data
 * @param {import('../pkg/dealreg.js').Sandbox} prepared
 */
function workbench(data, prepared) {
  const results = h('div', { id: 'sandbox-results', 'aria-live': 'polite' });
  const copy = /** @type {Programme} */ (JSON.parse(JSON.stringify(data.programme)));
  const run = (/** @type {string} */ text) => {
    const read = desk.readProgramme(text);
    if ('failure' in read) return read.failure;
    mount(results, h('p', { class: 'muted', id: 'sandbox-progress' }, `Deciding ${prepared.registrations} registrations…`));
    // Let the message paint: a large data set takes a moment.
    setTimeout(() => {
      const s = desk.simulate(prepared, data.programme, read.programme, PAGE);
      if (s) mount(results, ...comparison(s, prepared));
    }, 20);
    return null;
  };
  return h('div', {},
    h('p', {}, `Programme A: ${data.programme.name}, revision ${data.programme.revision}, on ${data.name}: the ${prepared.registrations} registrations received by ${prepared.asOf.slice(0, 16).replace('T', ' ')} UTC. Change it below into programme B, then run.`),
    editProgramme(copy, { save: run, saveLabel: 'Run the sandbox' }),
    results);
}

/**
 * @param {Simulation} s its differences explained a page at a time, as they are drawn
 * @param {import('../pkg/dealreg.js').Sandbox} prepared the sandbox that ran it, to explain the others
 */
function comparison(s, prepared) {
  const m = (/** @type {number} */ v) => money(v, s.currency);
  /** @type {[string, (side: Simulation['a']) => string | number][]} */
  const rows = [
    ['Approved', (x) => x.approved],
    ['In review', (x) => x.inReview],
    ['Rejected', (x) => x.rejected],
    ['Found another partner\'s registration', (x) => x.conflicts],
    ['Expired', (x) => x.expired],
    ['Protected pipeline', (x) => m(x.protectedPipeline)],
    ['Incentives committed', (x) => m(x.incentiveCost)],
    ['Budget left', (x) => (x.budgetLeft === null ? 'the vendor\'s to know' : m(x.budgetLeft))],
    ['Budget runs out', (x) => (x.budgetLeft === null ? 'the vendor\'s to know' : x.budgetRunsOutOn ?? 'not at this rate')],
  ];
  const rules = [...new Set([...s.a.rejectedByRule, ...s.b.rejectedByRule].map((r) => r.title))];
  const count = (/** @type {Simulation['a']} */ side, /** @type {string} */ title) => side.rejectedByRule.find((r) => r.title === title)?.count ?? 0;
  const header = ['Registration', 'Partner', 'Customer', 'Value', 'A', 'A: why', 'B', 'B: why'];
  // Summaries are asked for when first shown: explaining thousands at once took seconds.
  const explain = (/** @type {number} */ from, /** @type {number} */ to) => {
    const explained = desk.explainDifferences(prepared, from, to);
    explained?.forEach((d, k) => {
      s.differences[from + k].a.summary = d.a.summary;
      s.differences[from + k].b.summary = d.b.summary;
    });
  };
  const diffRows = () => {
    const unexplained = s.differences.findIndex((d) => d.a.summary === null);
    if (unexplained >= 0) explain(unexplained, s.differences.length);
    return s.differences.map((d) => [d.registrationId, d.partnerId, d.customer, d.value, d.a.outcome, d.a.summary, d.b.outcome, d.b.summary]);
  };
  /** @param {string} name @param {string[]} head @param {(string | number | null)[][] | (() => (string | number | null)[][])} body */
  const csv = (name, head, body) => () => {
    const text = desk.tableCsv(head, typeof body === 'function' ? body() : body, true);
    if (text === undefined) return;
    download(`dealreg-sandbox-${name}-${today()}.csv`, text, 'text/csv;charset=utf-8');
    notify(`The sandbox's ${name} exported as CSV.`);
  };
  const exportDiffs = csv('differences', header, diffRows);
  const sideRows = rows.map(([label, of]) => [label, of(s.a), of(s.b)]);
  const partnerHead = ['Partner', 'Approved A', 'Approved B', 'Incentives A', 'Incentives B'];
  const partnerRows = s.partners.map((p) => [p.name, p.approvedA, p.approvedB, p.incentiveA, p.incentiveB]);
  return [
    h('h2', {}, `${s.registrations} registrations decided under A and under B`),
    chart(s.chart),
    h('div', { class: 'table-wrap' }, h('table', { id: 'sandbox-sides' },
      h('caption', {}, 'Side by side'),
      h('thead', {}, h('tr', {}, h('th', {}, h('span', { class: 'visually-hidden' }, 'Measure')), h('th', { class: 'num' }, 'A'), h('th', { class: 'num' }, 'B'))),
      h('tbody', {}, rows.map(([label, of]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', { class: 'num' }, String(of(s.a))), h('td', { class: 'num' }, String(of(s.b)))))))),
    h('div', { class: 'toolbar' }, h('button', { class: 'small', id: 'export-sides', onclick: csv('side-by-side', ['Measure', 'A', 'B'], sideRows) }, 'Export CSV')),
    rules.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', {}, 'Rejections by the rule that failed first'),
      h('thead', {}, h('tr', {}, h('th', {}, 'Rule'), h('th', { class: 'num' }, 'A'), h('th', { class: 'num' }, 'B'))),
      h('tbody', {}, rules.map((title) => h('tr', {}, h('td', {}, title), h('td', { class: 'num' }, String(count(s.a, title))), h('td', { class: 'num' }, String(count(s.b, title)))))))) : null,
    h('h3', {}, 'Partners most affected'),
    s.partners.length === 0 ? h('p', { class: 'muted' }, 'No partner gets other approvals or incentives under B.')
      : h('div', { class: 'table-wrap' }, h('table', { id: 'sandbox-partners' },
        h('thead', {}, h('tr', {}, partnerHead.map((t, i) => h('th', { class: i ? 'num' : '' }, t)))),
        h('tbody', {}, s.partners.map((p) => h('tr', {}, h('td', {}, p.name), h('td', { class: 'num' }, String(p.approvedA)), h('td', { class: 'num' }, String(p.approvedB)),
          h('td', { class: 'num' }, m(p.incentiveA)), h('td', { class: 'num' }, m(p.incentiveB))))))),
    s.partners.length ? h('div', { class: 'toolbar' }, h('button', { class: 'small', onclick: csv('partners', partnerHead, partnerRows) }, 'Export CSV')) : null,
    h('h3', {}, `Registrations decided differently (${s.differences.length})`),
    s.differences.length === 0 ? h('p', { class: 'muted', id: 'no-differences' }, 'Every registration is decided the same way under B.')
      : h('div', {},
        h('div', { class: 'toolbar' }, h('button', { id: 'export-differences', onclick: exportDiffs }, 'Export the differences as CSV')),
        // A change can decide thousands otherwise: drawn a page at a time, all in the CSV.
        paged(s.differences, (d) => {
          const at = d.a.summary === null ? s.differences.indexOf(d) : -1;
          if (at >= 0) explain(at, at + PAGE);
          return h('tr', {},
          h('td', { class: 'mono' }, d.registrationId), h('td', {}, d.partnerId), h('td', {}, d.customer), h('td', { class: 'num' }, m(d.value)),
          h('td', {}, h('span', { class: `badge badge-${d.a.outcome}` }, d.a.outcome)), h('td', { class: 'small' }, d.a.summary),
          h('td', {}, h('span', { class: `badge badge-${d.b.outcome}` }, d.b.outcome)), h('td', { class: 'small' }, d.b.summary));
        },
        PAGE, 'differences',
        (body) => h('div', { class: 'table-wrap' }, h('table', { id: 'sandbox-differences' },
          h('thead', {}, h('tr', {}, header.map((t) => h('th', {}, t)))), body)),
        h('tbody'))),
  ];
}
