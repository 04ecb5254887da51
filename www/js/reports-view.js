// @ts-check
/**
 * The vendor's closed-loop reports as of a chosen day: the pipeline by stage
 * and the weighted forecast by month, how registrations were decided, partner
 * effectiveness, campaign return, incentives and the budget, and the
 * fair-pricing audit of every discount granted. Each chart (SVG
 * made by the core, with its title and description) has its table, and every
 * table downloads as CSV.
 */
import * as desk from './desk.js';
import { download, h, mount } from './dom.js';
import { money, partnerName, today } from './format.js';
import { notify } from './messages.js';
import { stat } from './views.js';

/** @typedef {import('./desk.js').Workspace} Workspace */
/** @typedef {import('./desk.js').Report} Report */
/** @typedef {string | number | null} Cell */
/** @typedef {Report['pricing']['partners'][number]} PricingPartner */

/** @param {number | null} x */
const pct = (x) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
/** @param {Cell} x */
const num = (x) => (x === null ? '—' : String(x));

/**
 * A chart's SVG text, parsed as XML into an element. The core escapes every
 * text it writes; anything but a lone <svg> is refused rather than shown.
 * @param {string} svg
 */
export function chart(svg) {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) return h('p', { class: 'muted' }, 'The chart could not be drawn; its table is below.');
  const title = root.querySelector('title')?.textContent ?? '';
  return h('figure', { class: 'chart-box' }, h('figcaption', {}, title), /** @type {Element} */ (document.importNode(root, true)));
}

/** Rows a report table shows before "Show all". */
const ROWS = 100;

/**
 * A report table with its CSV download: `rows` hold the raw values for the
 * CSV; `show` formats a row's cells for the page. Columns are numbers but the
 * first, and those in `text`; `mark` names a class for a row to stand out.
 * @param {string} name used in the file name
 * @param {string} caption
 * @param {string[]} header
 * @param {Cell[][]} rows
 * @param {(row: Cell[]) => (string | Node)[]} show
 * @param {{ text?: number[], mark?: (row: Cell[]) => string | null }} [options]
 */
function table(name, caption, header, rows, show, { text = [], mark } = {}) {
  const cls = (/** @type {number} */ i) => (i > 0 && !text.includes(i) ? 'num' : '');
  const bom = h('input', { type: 'checkbox', checked: true, 'aria-label': `CSV of ${caption} for Excel` });
  const exportCsv = () => {
    const text = desk.tableCsv(header, rows, bom.checked);
    if (text === undefined) return;
    download(`dealreg-report-${name}-${today()}.csv`, text, 'text/csv;charset=utf-8');
    notify(`${caption} exported as CSV.`);
  };
  // The first rows only until asked (the CSV has them all): a big desk's
  // tables of every grant or partner ran to thousands of rows.
  const draw = (/** @type {Cell[][]} */ list) => list.map((row) => h('tr', { class: mark?.(row) ?? null }, show(row).map((c, i) => h('td', { class: cls(i) }, c))));
  const tbody = h('tbody', {}, draw(rows.slice(0, ROWS)));
  const all = rows.length > ROWS
    ? h('button', { class: 'small', type: 'button', onclick: () => { tbody.append(...draw(rows.slice(ROWS))); all?.remove(); } }, `Show all ${rows.length} rows`)
    : null;
  return h('div', { class: 'report-table' },
    // A table wider than the page scrolls in its box: focusable, so the keyboard can scroll it too.
    h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption }, h('table', { 'data-report': name },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, header.map((c, i) => h('th', { class: cls(i) }, c)))),
      tbody)),
    h('div', { class: 'toolbar' }, h('label', { class: 'check small' }, bom, ' for Excel'),
      h('button', { class: 'small', 'data-csv': name, onclick: exportCsv }, 'Export CSV'), all));
}

/** @param {Workspace} ws */
export function reportsView(ws) {
  const day = h('input', { type: 'date', id: 'report-day', value: today(), 'aria-label': 'Report as of' });
  const body = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Building the reports…'));
  const build = () => {
    mount(body, h('p', { class: 'muted', id: 'report-progress' }, 'Building the reports…'));
    // Let the message paint first: a desk of 100,000 registrations takes a moment.
    setTimeout(() => {
      const asOf = day.value ? `${day.value}T23:59:59Z` : undefined;
      const report = desk.report(asOf);
      if (report) mount(body, ...sections(ws, report));
    }, 20);
  };
  day.addEventListener('change', build);
  build();
  return h('section', { class: 'reports' },
    h('header', { class: 'area-head' }, h('h1', {}, 'Reports'),
      h('p', { class: 'lead' }, 'Which campaigns, partners and incentives turn into revenue, as of the end of the day you choose.')),
    h('div', { class: 'toolbar' }, h('label', { for: 'report-day' }, 'As of '), day),
    body);
}

/**
 * @param {Workspace} ws
 * @param {Report} r
 */
function sections(ws, r) {
  const m = (/** @type {number | null} */ v) => (v === null ? '—' : money(v, r.currency));
  const reg = r.registrations;
  const f = r.funding;
  return [
    h('h2', {}, 'Pipeline'),
    h('div', { class: 'stats' },
      stat('Open registrations', r.pipeline.open, m(r.pipeline.value)),
      stat('Weighted forecast', m(r.pipeline.weighted), 'value × the stage\'s win probability')),
    h('div', { class: 'report-pair' },
      h('div', {}, chart(r.charts.funnel),
        table('pipeline', 'Open pipeline by stage', ['Stage', 'Registrations', 'Value', 'Win probability', 'Weighted'],
          r.pipeline.byStage.map((s) => [s.stage, s.count, s.value, s.probability, s.weighted]),
          ([stage, count, value, p, w]) => [String(stage), String(count), m(/** @type {number} */ (value)), pct(/** @type {number} */ (p)), m(/** @type {number} */ (w))])),
      h('div', {}, chart(r.charts.forecast),
        table('forecast', 'Forecast by month of expected close', ['Month', 'Registrations', 'Value', 'Weighted'],
          r.pipeline.forecast.map((x) => [x.month, x.count, x.value, x.weighted]),
          ([month, count, value, w]) => [String(month), String(count), m(/** @type {number} */ (value)), m(/** @type {number} */ (w))]))),

    h('h2', {}, 'Registrations'),
    h('div', { class: 'stats', id: 'registration-stats' },
      stat('Received', reg.received, `${reg.pending} awaiting a decision`),
      stat('Approval rate', pct(reg.approvalRate), `${reg.approved} approved, ${reg.rejected} rejected`),
      stat('Median time to decision', reg.medianDaysToDecision === null ? '—' : `${reg.medianDaysToDecision} days`),
      stat('Review SLA breaches', reg.slaBreaches, 'decided late, or waiting past it'),
      stat('Conflicts now', reg.conflictPairs, `${reg.conflictCustomers} customers claimed twice`),
      stat('Expired', reg.expired, `${reg.extensions} extensions granted, ${reg.extensionRequests} asked`)),

    h('h2', {}, 'Partners'),
    chart(r.charts.leaderboard),
    table('partners', 'Partner effectiveness',
      ['Partner', 'Registrations', 'Won', 'Lost', 'Win rate', 'Revenue', 'Average deal', 'Median days to win', 'Leads offered', 'Accepted', 'Converted', 'Acceptance', 'Conversion'],
      r.partners.map((p) => [p.name, p.registrations, p.won, p.lost, p.winRate, p.revenue, p.averageDeal, p.medianDaysToClose, p.leadsOffered, p.leadsAccepted, p.leadsConverted, p.acceptanceRate, p.conversionRate]),
      (row) => row.map((c, i) => ([4, 11, 12].includes(i) ? pct(/** @type {number | null} */ (c)) : [5, 6].includes(i) ? m(/** @type {number | null} */ (c)) : num(c)))),

    h('h2', {}, 'Campaigns'),
    chart(r.charts.campaigns),
    table('campaigns', 'Campaign return: cost to leads to won revenue',
      ['Campaign', 'Cost', 'Leads', 'Qualified', 'Opportunities', 'Won', 'Revenue', 'Return'],
      r.campaigns.map((c) => [c.name, c.cost, c.leads, c.qualified, c.opportunities, c.won, c.revenue, c.roi]),
      (row) => row.map((c, i) => ([1, 6].includes(i) ? m(/** @type {number} */ (c)) : i === 7 ? pct(/** @type {number | null} */ (c)) : num(c)))),

    h('h2', {}, 'Incentives'),
    h('div', { class: 'report-pair' },
      table('incentives-by-tier', 'Incentives by tier', ['Tier', 'Committed', 'Paid', 'Revenue with them', 'Revenue per unit paid'],
        r.incentives.byTier.map((t) => [t.name, t.committed, t.paid, t.revenue, t.returnPerUnit]),
        (row) => row.map((c, i) => ([1, 2, 3].includes(i) ? m(/** @type {number} */ (c)) : num(c)))),
      table('incentives-by-kind', 'Incentives by kind', ['Kind', 'Committed', 'Paid', 'Revenue with them', 'Revenue per unit paid'],
        r.incentives.byKind.map((t) => [t.name, t.committed, t.paid, t.revenue, t.returnPerUnit]),
        (row) => row.map((c, i) => ([1, 2, 3].includes(i) ? m(/** @type {number} */ (c)) : num(c))))),

    h('h2', {}, 'Incentive budget'),
    h('div', { class: 'stats', id: 'funding' },
      stat('Budget', f.budget === null ? 'none set' : m(f.budget)),
      stat('Committed', m(f.committed), `${m(f.paid)} paid on won deals`),
      stat('Left', f.left === null ? 'no limit' : m(f.left)),
      stat('Runs out', f.budget === null ? 'no budget set' : f.runsOutOn ?? 'not at this rate', `at ${m(f.ratePerDay)} a day, the last 90 days' rate`)),

    ...fairPricing(ws, r),
    h('p', { class: 'muted small' }, `${ws.registrations.length} registrations and ${ws.leads.length} leads on this desk; the report counts what was received by ${r.asOf.slice(0, 10)}.`),
  ];
}

/** `1 special price`, `2 special prices` */
const plural = (/** @type {number} */ n, /** @type {string} */ noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** How a discount came about, for the page and the CSV. */
const GRANT_KINDS = { tier: 'tier terms', secondRegistrant: 'second registrant', specialPrice: 'special price' };

/**
 * The fair-pricing audit: each partner's average extra discount against its
 * tier's, flagged beyond the tolerance where no recorded reason explains it,
 * and every discount granted, for a compliance review.
 * @param {Workspace} ws
 * @param {Report} r
 */
function fairPricing(ws, r) {
  const a = r.pricing;
  const m = (/** @type {number} */ v) => money(v, r.currency);
  const points = (/** @type {Cell} */ v) => (v === null ? '—' : `${v}`);
  const flagged = new Set(a.partners.filter((p) => p.flagged).map((p) => p.name));
  /** @type {Cell[][]} */
  const partnerRows = a.partners.map((p) => [p.name, p.tier, p.tierPoints, p.registrations, p.value,
    p.averagePoints, p.reasonedPoints, p.unexplainedPoints, p.flagged ? `flagged: ${p.why}` : p.why]);
  const isFlagged = (/** @type {Cell[]} */ row) => flagged.has(String(row[0]));
  /** @type {Cell[][]} */
  const grantRows = a.grants.map((g) => [g.registrationId, partnerName(ws, g.partnerId), g.customer, g.value,
    GRANT_KINDS[g.kind] ?? g.kind, g.tier, g.points, g.share, g.reason, g.justified ? 'yes' : 'no', g.grantedOn, g.expiresOn]);
  return [
    h('h2', { id: 'fair-pricing' }, 'Fair pricing'),
    h('p', { class: 'muted small' }, 'Every discount granted on an approval, and each partner\'s average extra discount against its tier\'s. A special price with a recorded reason is justified; what no reason explains is flagged beyond the tolerance, for a compliance review.'),
    h('div', { class: 'stats', id: 'pricing-stats' },
      stat('Partners flagged', a.flagged, `of ${a.partners.length}, beyond ${a.tolerancePoints} points without a recorded reason`),
      stat('Discounts granted', a.grants.length, `${plural(a.grants.filter((g) => g.kind === 'specialPrice').length, 'special price')}, ${a.grants.filter((g) => !g.justified).length} without a reason`)),
    chart(a.chart),
    table('pricing-partners', 'Partners\' discounts against their tier\'s',
      ['Partner', 'Tier', 'Tier points', 'Deals', 'Value', 'Average points', 'Reasoned points', 'Unexplained points', 'Flag'],
      partnerRows,
      (row) => row.map((c, i) => {
        if (i === 4) return m(/** @type {number} */ (c));
        if (i === 8) {
          const p = /** @type {PricingPartner} */ (a.partners[partnerRows.indexOf(row)]);
          return p.flagged ? h('span', {}, h('span', { class: 'badge badge-flagged' }, 'flagged'), ' ', p.why) : p.why;
        }
        return [2, 5, 6, 7].includes(i) ? points(c) : num(c);
      }),
      { text: [1, 8], mark: (row) => (isFlagged(row) ? 'flagged' : null) }),
    table('pricing-grants', 'Discounts granted',
      ['Registration', 'Partner', 'Customer', 'Value', 'Kind', 'Tier', 'Points', 'Share', 'Reason', 'Justified', 'Granted', 'Expires'],
      grantRows,
      (row) => row.map((c, i) => (i === 3 ? m(/** @type {number} */ (c)) : i === 7 ? pct(/** @type {number} */ (c)) : num(c))),
      { text: [1, 2, 4, 5, 8, 9, 10, 11], mark: (row) => (row[9] === 'no' ? 'unjustified' : null) }),
  ];
}
