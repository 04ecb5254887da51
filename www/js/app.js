// @ts-check
/**
 * Wires the page: the header with the desk's role, the navigation between
 * areas (by URL hash, so reloads keep the place), the first-run setup, and the
 * messages for failures and successes. All calls into dealreg go through desk.js.
 */
import * as desk from './desk.js';
import { download, h, mount } from './dom.js';
import { confirmDialog, notify, showFailure } from './messages.js';
import { areasFor, importLog, VIEWS } from './views.js';

/** @typedef {import('./desk.js').Workspace} Workspace */
/** @typedef {import('./views.js').Area} Area */

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
const roleBadge = /** @type {HTMLElement} */ (document.getElementById('role'));
const programmeName = /** @type {HTMLElement} */ (document.getElementById('programme-name'));

/** Today's date for file names. */
const stamp = () => new Date().toISOString().slice(0, 10);

/** @param {import('./desk.js').ImportReport} report */
function describeReport(report) {
  const parts = [`${report.added.length} added`, `${report.updated.length} updated`, `${report.unchanged.length} unchanged`];
  if (report.refused.length) parts.push(`${report.refused.length} refused (${report.refused.map((p) => `${p.path}: ${p.message}`).join('; ')})`);
  return parts.join(', ');
}

/** @param {Workspace} ws */
function describeDesk(ws) {
  const parts = [`${ws.registrations.length} registrations`, `${ws.leads.length} leads`, `${ws.campaigns.length} campaigns`];
  return parts.join(', ');
}

/** @param {Workspace} ws */
function roleLabel(ws) {
  const role = ws.role;
  if (!role) return 'No role yet';
  if (role.kind === 'vendor') return `Vendor desk${ws.programme ? `: ${ws.programme.vendor}` : ''}`;
  const partner = ws.programme?.partners.find((p) => p.id === role.partnerId);
  return `Partner desk: ${partner?.name ?? role.partnerId}`;
}

/** @type {import('./views.js').Actions} */
const actions = {
  exportBackup() {
    const text = desk.exportBackup();
    if (text === undefined) return;
    const ws = desk.state();
    const who = ws.role?.kind === 'partner' ? ws.role.partnerId : ws.role?.kind ?? 'desk';
    download(`dealreg-backup-${who}-${stamp()}.json`, text);
    notify('Backup exported.');
  },
  async chooseBackupFile(file) {
    const text = await file.text();
    const incoming = desk.readBackup(text);
    if (!incoming) return;
    const current = desk.state();
    const holds = current.registrations.length + current.leads.length + current.campaigns.length > 0;
    if (holds && !(await confirmDialog(
      'Replace this desk?',
      `“${file.name}” is a ${roleLabel(incoming).toLowerCase()} with ${describeDesk(incoming)}. ` +
      `It replaces this desk, which holds ${describeDesk(current)}.`,
      'Replace this desk'))) return;
    const summary = desk.importBackup(text);
    if (summary) notify(`Backup restored: ${summary.registrations} registrations, ${summary.leads} leads, ${summary.campaigns} campaigns.`);
  },
  async loadDemo() {
    const current = desk.state();
    const holds = current.registrations.length + current.leads.length > 0;
    if (holds && !(await confirmDialog('Load the demo data?', `It replaces what this desk holds: ${describeDesk(current)}.`, 'Load the demo data'))) return;
    const summary = await desk.loadDemo();
    if (summary) notify(`Demo loaded: ${summary.registrations} registrations, ${summary.leads} leads, ${summary.campaigns} campaigns.`);
  },
  exportSubmission() {
    const text = desk.exportSubmission();
    const role = desk.state().role;
    if (text === undefined || role?.kind !== 'partner') return;
    download(`dealreg-submission-${role.partnerId}-${stamp()}.json`, text);
    notify('Submission file exported: send it to the vendor.');
  },
  async importSubmissions(files) {
    for (const file of files) {
      const report = desk.importSubmission(file.name, await file.text());
      if (report) importLog.unshift({ file: file.name, text: describeReport(report) });
    }
    const ws = desk.state();
    notify(`${files.length} submission file${files.length === 1 ? '' : 's'} read. ${ws.registrations.filter((r) => r.status === 'inReview').length} in the review queue.`);
    render();
  },
  exportDecisions(partnerId) {
    const text = desk.exportDecisions(partnerId);
    if (text === undefined) return;
    download(`dealreg-decisions-${partnerId}-${stamp()}.json`, text);
    notify('Decision file exported: send it to the partner.');
  },
  async importDecisions(file) {
    const report = desk.importDecisions(file.name, await file.text());
    if (!report) return;
    importLog.unshift({ file: file.name, text: describeReport(report) });
    notify(`Decisions read: ${report.updated.length} registrations updated.`);
    render();
  },
  open(hash) {
    location.hash = hash;
  },
  async reset() {
    if (!(await confirmDialog('Start an empty desk?', 'Everything on this desk is removed from this browser. Export a backup first if you may want it back.', 'Start an empty desk'))) return;
    if (desk.reset()) notify('This desk is empty now.');
  },
};

/** The first screen of a desk with no role: who are you, and start with the demo? */
async function setupView() {
  /** @type {{ id: string, name: string }[]} */
  let partners = [];
  try {
    const response = await fetch('demo/programme.json');
    if (response.ok) partners = (await response.json()).partners ?? [];
  } catch { /* the partner list stays empty; the user can type an id */ }
  const partnerSelect = h('select', { id: 'setup-partner', 'aria-label': 'Which partner' },
    partners.map((p) => h('option', { value: p.id }, `${p.name} (${p.id})`)));
  const vendor = h('input', { type: 'radio', name: 'role', value: 'vendor', checked: true });
  const partner = h('input', { type: 'radio', name: 'role', value: 'partner' });
  const withDemo = h('input', { type: 'checkbox', id: 'setup-demo', checked: true });
  const restore = h('input', { type: 'file', accept: '.json,application/json', id: 'setup-restore' });
  restore.addEventListener('change', () => {
    const file = restore.files?.[0];
    if (file) actions.chooseBackupFile(file);
  });
  const start = async () => {
    /** @type {import('./desk.js').Role} */
    const role = partner.checked ? { kind: 'partner', partnerId: partnerSelect.value } : { kind: 'vendor' };
    if (!desk.chooseRole(role)) return;
    if (withDemo.checked) {
      const summary = await desk.loadDemo();
      if (summary) notify(`Desk set up with the demo: ${summary.registrations} registrations, ${summary.leads} leads.`);
    }
  };
  return h('section', { class: 'setup' },
    h('h1', {}, 'Set up this desk'),
    h('p', { class: 'lead' }, 'dealreg keeps everything in this browser: no account, no server. Choose whose desk this is.'),
    h('div', { class: 'role-choice' },
      h('label', { class: 'card choice' }, vendor,
        h('span', {}, h('strong', {}, 'Vendor'), h('span', { class: 'muted' }, 'I run the partner programme: I review registrations, route leads and read the reports.'))),
      h('label', { class: 'card choice' }, partner,
        h('span', {}, h('strong', {}, 'Partner'), h('span', { class: 'muted' }, 'I resell: I register deals, work the leads I am given and send files to the vendor.'),
          partnerSelect))),
    h('label', { class: 'check' }, withDemo, ' Start with the demo data (Auroral Networks, 6 partners, 60 registrations, 150 leads)'),
    h('div', { class: 'actions' }, h('button', { class: 'primary', id: 'setup-start', onclick: start }, 'Set up desk')),
    h('p', { class: 'muted' }, 'Or restore a backup file: ', restore));
}

/**
 * The area and its parameter from the URL (`#registrations/R-0001`), falling
 * back to the overview for an area this role does not have.
 * @param {'vendor' | 'partner'} role
 * @returns {[Area, string]}
 */
function currentRoute(role) {
  const [wanted, ...rest] = location.hash.slice(1).split('/');
  const found = areasFor(role).find(([id]) => id === wanted);
  return found ? [found[0], decodeURIComponent(rest.join('/'))] : ['overview', ''];
}

let rendering = 0;
async function render() {
  const ticket = ++rendering;
  const ws = desk.state();
  roleBadge.textContent = roleLabel(ws);
  roleBadge.dataset.role = ws.role?.kind ?? 'none';
  programmeName.textContent = ws.programme?.name ?? '';
  document.body.classList.toggle('no-role', !ws.role);
  if (!ws.role) {
    const view = await setupView();
    if (ticket === rendering) mount(main, view);
    return;
  }
  const [area, param] = currentRoute(ws.role.kind);
  const waiting = ws.registrations.filter((r) => r.status === 'inReview' || r.status === 'submitted' || r.extensionRequested).length;
  mount(nav, areasFor(ws.role.kind).map(([id, label]) => h('a', { href: `#${id}`, 'aria-current': id === area ? 'page' : null },
    label, id === 'review' && waiting ? h('span', { class: 'count' }, String(waiting)) : null)));
  const scroll = window.scrollY;
  mount(main, VIEWS[area](ws, actions, param));
  if (ticket === lastTicketArea.ticket + 1 && lastTicketArea.key === location.hash) window.scrollTo(0, scroll);
  lastTicketArea.ticket = ticket;
  lastTicketArea.key = location.hash;
}
/** Keeps the scroll position when the same page re-renders after a change. */
const lastTicketArea = { ticket: 0, key: '' };

/** The kept desk cannot be read: say why, and offer to save it and start over. */
/** @param {import('./desk.js').Failure} failure */
function showUnreadable(failure) {
  roleBadge.textContent = 'Desk unreadable';
  document.body.dataset.ready = 'true';
  mount(main, h('section', { class: 'setup' },
    h('h1', {}, 'The desk in this browser cannot be read'),
    h('p', {}, failure.message),
    failure.problems.length > 1 ? h('ul', { class: 'problems' }, failure.problems.map((p) => h('li', {}, h('code', {}, p.path), ' ', p.message))) : null,
    h('p', {}, 'Nothing has been changed or deleted. Save what is stored to a file, then start an empty desk: the unreadable one is also kept aside in this browser.'),
    h('div', { class: 'actions' },
      h('button', { onclick: () => { const text = desk.storedText(); if (text !== undefined) download('dealreg-unreadable-desk.json', text); } }, 'Download what is stored'),
      h('button', { class: 'primary', onclick: () => { if (desk.startOver()) { desk.onChange(render); render(); } } }, 'Start an empty desk'))));
}

async function boot() {
  desk.onFailure(showFailure);
  const failure = await desk.open();
  if (failure) {
    if (failure.title.startsWith('Loading')) showFailure(failure);
    else showUnreadable(failure);
    return;
  }
  desk.onChange(render);
  window.addEventListener('hashchange', render);
  await render();
  document.body.dataset.ready = 'true';
}

boot();
