// @ts-check
/**
 * Wires the page: the header with the desk's role, the navigation between
 * areas (by URL hash, so reloads keep the place), the first-run setup, and the
 * messages for failures and successes. All calls into dealreg go through desk.js.
 */
import * as desk from './desk.js';
import { download, h, mount } from './dom.js';
import { confirmDialog, formDialog, notify, progressDialog, showFailure } from './messages.js';
import { filesView, fingerprint, importLog, showProgress } from './files-view.js';
import { areasFor, overview, VIEWS } from './views.js';
import { startForm } from './programme-editor.js';

/** @typedef {import('./desk.js').Workspace} Workspace */
/** @typedef {import('./views.js').Area} Area */

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
const roleBadge = /** @type {HTMLElement} */ (document.getElementById('role'));
const programmeName = /** @type {HTMLElement} */ (document.getElementById('programme-name'));

/** The largest file the page reads (the core's limit, 128 MiB): checked before reading it. */
const MAX_FILE_BYTES = 128 * 1024 * 1024;

/** @param {number} bytes */
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

/** Today's date for file names. */
const stamp = () => new Date().toISOString().slice(0, 10);

/** @param {import('./desk.js').ImportReport} report */
function describeReport(report) {
  const parts = [`${report.added.length} added`, `${report.updated.length} updated`, `${report.unchanged.length} unchanged`];
  if (report.refused.length) parts.push(`${report.refused.length} refused (${report.refused.map((p) => `${p.path}: ${p.message}`).join('; ')})`);
  return parts.join(', ');
}

/** @param {import('./desk.js').Overview} ws */
function describeDesk(ws) {
  const parts = [`${ws.registrations} registrations`, `${ws.leads} leads`, `${ws.campaigns.length} campaigns`];
  return parts.join(', ');
}

/** @param {Workspace | import('./desk.js').Overview} ws */
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
    const ws = desk.overview();
    const who = ws.role?.kind === 'partner' ? ws.role.partnerId : ws.role?.kind ?? 'desk';
    download(`dealreg-backup-${who}-${stamp()}.json`, text);
    notify('Backup exported.');
  },
  async chooseBackupFile(file) {
    // The size is known before a byte is read: a file too big for any desk is refused at once.
    if (file.size > MAX_FILE_BYTES) {
      showFailure({ title: `Reading ${file.name}`, message: `It is ${Math.round(file.size / 1e6)} MB; the largest backup this page reads is ${Math.round(MAX_FILE_BYTES / 1e6)} MB.`, problems: [] });
      return;
    }
    const job = new desk.Job(`Restoring ${file.name}`);
    let progress = progressDialog(`Restoring ${file.name}`, () => job.cancel());
    progress.say(`Reading and checking ${megabytes(file.size)}…`);
    const read = (await job.open()) ? await job.run('importBackup', file) : undefined;
    const incoming = read && 'value' in read ? await job.run('overview') : read;
    progress.close();
    if (job.cancelled) {
      notify('Cancelled: the desk is as it was.');
      return;
    }
    if (!incoming) return;
    if ('failure' in incoming) {
      showFailure(incoming.failure);
      return;
    }
    const current = desk.overview();
    const holds = current.registrations + current.leads + current.campaigns.length > 0;
    if (holds && !(await confirmDialog(
      'Replace this desk?',
      `“${file.name}” is a ${roleLabel(incoming.value).toLowerCase()} with ${describeDesk(incoming.value)}. ` +
      `It replaces this desk, which holds ${describeDesk(current)}.`,
      'Replace this desk'))) {
      job.cancel();
      return;
    }
    progress = progressDialog(`Restoring ${file.name}`, () => job.cancel());
    progress.say('Saving the desk…');
    const done = await job.adopt((n, total) => progress.say(`Saving the desk: part ${n} of ${total}…`, n, total));
    progress.close();
    const summary = incoming.value;
    if (done) notify(`Backup restored: ${summary.registrations} registrations, ${summary.leads} leads, ${summary.campaigns.length} campaigns.`);
    else if (job.cancelled) notify('Cancelled: the desk is as it was.');
  },
  async loadDemo() {
    const current = desk.overview();
    const holds = current.registrations + current.leads > 0;
    if (holds && !(await confirmDialog('Load the demo data?', `It replaces what this desk holds: ${describeDesk(current)}.`, 'Load the demo data'))) return;
    const summary = await desk.loadDemo();
    if (summary) notify(`Demo loaded: ${summary.registrations} registrations, ${summary.leads} leads, ${summary.campaigns} campaigns.`);
  },
  async exportSubmission() {
    const text = await desk.exportSubmission();
    const role = desk.overview().role;
    if (text === undefined || role?.kind !== 'partner') return;
    download(`dealreg-submission-${role.partnerId}-${stamp()}.json`, text);
    notify('Submission file exported: send it to the vendor.');
  },
  async importSubmissions(files) {
    // Read in the worker, each file on its own (a bad one is refused whole,
    // the others still go in), then the desk they made is adopted at once.
    const job = new desk.Job('Reading submission files');
    const progress = progressDialog(`Reading ${files.length} submission file${files.length === 1 ? '' : 's'}`, () => job.cancel());
    let read = 0;
    let logged = 0;
    if (await job.open()) {
      for (const [i, file] of files.entries()) {
        progress.say(`Reading ${i + 1} of ${files.length}: ${file.name}`, i, files.length);
        showProgress(i, files.length, `Reading ${i + 1} of ${files.length}: ${file.name}`);
        const result = await job.run('importSubmission', file, desk.now());
        if (job.cancelled) break;
        logged++;
        if ('value' in result) {
          read++;
          importLog.unshift({ file: file.name, text: describeReport(result.value) });
        } else {
          importLog.unshift({ file: file.name, text: `refused, nothing from it was imported: ${result.failure.message}`, failed: true });
        }
      }
    }
    if (read > 0 && !job.cancelled) {
      progress.say('Saving the desk…');
      await job.adopt((n, total) => progress.say(`Saving the desk: part ${n} of ${total}…`, n, total));
    }
    progress.close();
    if (job.cancelled) {
      importLog.splice(0, logged);
      notify('Cancelled: nothing from those files was imported.');
      render();
      return;
    }
    const refused = files.length - read;
    showProgress(files.length, files.length, `Read ${read} of ${files.length} files${refused ? `; ${refused} refused` : ''}.`);
    notify(`${read} of ${files.length} submission file${files.length === 1 ? '' : 's'} read${refused ? `, ${refused} refused` : ''}. ${desk.overview().awaitingDecision} awaiting a decision.`);
    render();
  },
  exportCsv(table, bom) {
    const text = desk.exportCsv(table, bom);
    if (text === undefined) return;
    download(`dealreg-${table}-${stamp()}.csv`, text, 'text/csv;charset=utf-8');
    notify(`${table === 'leads' ? 'Leads' : 'Registrations'} exported as CSV.`);
  },
  exportProgramme() {
    const text = desk.exportProgramme();
    const ws = desk.overview();
    if (text === undefined || !ws.programme) return;
    download(`${ws.programme.id}-r${ws.programme.revision}.programme.json`, text);
    notify(ws.programme.vendorKey ? 'Programme file exported, signed: send it to partners or host it as programme.json.' : 'Programme file exported, unsigned.');
  },
  async chooseProgrammeFile(file) {
    await offerProgramme(file.name, await file.text());
  },
  async trustKeyOf(file) {
    const text = await file.text();
    const signer = desk.programmeSigner(file.name, text);
    if (!signer) return;
    if (signer.current === signer.vendorKey) {
      notify(`This browser already trusts ${signer.vendor}'s key ${fingerprint(signer.vendorKey)}.`);
      return;
    }
    const lines = [
      signer.current ? `Trusted now: ${fingerprint(signer.current)}` : 'Trusted now: no key',
      `In its place: ${fingerprint(signer.vendorKey)} (${signer.vendor}, programme ${signer.name})`,
    ];
    if (!(await confirmDialog('Trust another vendor key?',
      signer.current
        ? `Files from the vendor are then checked against the new key, and files signed with the old one are refused. Do this only after the vendor has told you, by phone or in person, that its key changed, and the new key's first and last characters match what it told you.`
        : 'Files from the vendor are then checked against this key. Compare its first and last characters with what the vendor told you.',
      'Trust the new key', lines))) return;
    const trusted = await desk.trustKeyOf(file.name, text);
    if (!trusted) return;
    notify(`This browser now trusts ${trusted.vendor}'s key ${fingerprint(trusted.vendorKey)}.`);
    await offerProgramme(file.name, text);
  },
  async createKey() {
    const key = await desk.createKey();
    if (key) notify(`Signing key made: ${fingerprint(key)}. Export the key file and keep it offline.`);
  },
  async exportKey() {
    const first = h('input', { type: 'password', id: 'passphrase', autocomplete: 'new-password', minlength: 10, required: true });
    const again = h('input', { type: 'password', id: 'passphrase-again', autocomplete: 'new-password', minlength: 10, required: true });
    if (!(await formDialog('Export the secret key?',
      'The key file lets anyone who also has its passphrase sign programmes and decisions in your name. Choose a passphrase of at least 10 characters (a few words are easy to remember) and keep it apart from the file. Keep the file offline, and never send it to a partner.',
      'Export key file', [
        h('div', { class: 'field' }, h('label', { for: 'passphrase' }, 'Passphrase'), first),
        h('div', { class: 'field' }, h('label', { for: 'passphrase-again' }, 'The passphrase again'), again),
      ]))) return;
    if (first.value !== again.value) {
      showFailure({ title: 'Exporting the key file', message: 'The two passphrases differ: nothing was exported. Export again and type the same passphrase twice.', problems: [] });
      return;
    }
    const text = desk.exportKey(first.value);
    if (text === undefined) return;
    download(`dealreg-signing-key-${stamp()}.key.json`, text);
    notify('Key file exported, locked with your passphrase. Keep both safe, apart.');
  },
  async importKey(file) {
    const text = await file.text();
    const locked = desk.keyFileIsLocked(file.name, text);
    if (locked === undefined) return;
    let passphrase;
    if (locked) {
      const input = h('input', { type: 'password', id: 'key-passphrase', autocomplete: 'current-password', required: true });
      if (!(await formDialog(`Unlock ${file.name}?`, 'The key file is locked: type the passphrase it was exported with.', 'Unlock and read',
        [h('div', { class: 'field' }, h('label', { for: 'key-passphrase' }, 'Passphrase'), input)]))) return;
      passphrase = input.value;
    }
    const key = await desk.importKey(file.name, text, passphrase);
    if (key) notify(`Signing key ${fingerprint(key)} read: this desk signs with it now.`);
  },
  async exportDecisions(partnerId) {
    const text = await desk.exportDecisions(partnerId);
    if (text === undefined) return;
    download(`dealreg-decisions-${partnerId}-${stamp()}.json`, text);
    notify('Decision file exported: send it to the partner.');
  },
  async importDecisions(file) {
    const report = await desk.importDecisions(file.name, await file.text());
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
    if (await desk.reset()) notify('This desk is empty now.');
  },
};

/**
 * Shows what a programme file would change and adopts it if the partner agrees.
 * @param {string} name
 * @param {string} text
 * @param {boolean} [quiet] say nothing when it changes nothing (the hosted file at start)
 */
async function offerProgramme(name, text, quiet = false) {
  const update = quiet ? desk.hostedProgrammeUpdate(text) : desk.programmeUpdate(name, text);
  if (!update) return;
  if (!update.newer) {
    if (!quiet) notify(`${name} is the programme this desk already holds (revision ${update.revision}).`);
    return;
  }
  const signed = update.signed ? `Signed by ${update.vendor} (key ${fingerprint(update.vendorKey ?? '')}).` : 'It is not signed.';
  const what = update.currentRevision === null
    ? `${update.name}, revision ${update.revision}. ${signed}`
    : `${update.name}: revision ${update.revision} replaces revision ${update.currentRevision}. ${signed} What changes:`;
  if (!(await confirmDialog(`Adopt the programme from ${update.vendor}?`, what, 'Adopt this programme', update.changes))) return;
  const adopted = await desk.adoptProgramme(name, text);
  if (adopted) notify(`Programme revision ${adopted.revision} adopted.`);
}

/**
 * A partner desk opened from the vendor's site: offer the programme file hosted
 * beside the page when it is newer than the one this desk holds.
 */
async function checkHostedProgramme() {
  const ws = desk.overview();
  if (ws.role?.kind !== 'partner') return;
  const text = await desk.hostedProgramme();
  if (text !== null) await offerProgramme('the programme published on this site', text, true);
}

/**
 * The first screen of a desk with no role: a vendor starts its programme, a
 * partner joins with the invitation its vendor sent (its identity is the
 * invited one, never chosen), anyone may open the demo or restore a backup.
 */
async function setupView() {
  /** @type {{ id: string, name: string }[]} */
  let demoPartners = [];
  try {
    const response = await fetch('demo/programme.json');
    if (response.ok) demoPartners = (await response.json()).partners ?? [];
  } catch { /* the demo is offered as the vendor only */ }
  const hosted = await desk.hostedProgramme();
  /** @type {{ name?: string, vendor?: string }} */
  let published = {};
  try {
    if (hosted !== null) published = JSON.parse(hosted);
  } catch { /* not shown */ }

  const invitationFile = h('input', { type: 'file', accept: '.json,application/json', id: 'setup-invitation' });
  invitationFile.addEventListener('change', async () => {
    const file = /** @type {HTMLInputElement} */ (invitationFile).files?.[0];
    /** @type {HTMLInputElement} */ (invitationFile).value = '';
    if (file) await offerJoin(file.name, await file.text());
  });
  const linkInput = h('input', { type: 'text', id: 'setup-link', placeholder: 'https://…#join=…', spellcheck: 'false', autocomplete: 'off' });
  const joinByLink = (/** @type {Event} */ event) => {
    event.preventDefault();
    const link = /** @type {HTMLInputElement} */ (linkInput).value.trim();
    if (link) offerJoin('the invitation link', link);
  };
  const demoPartner = h('select', { id: 'demo-partner', 'aria-label': 'Demo partner' },
    demoPartners.map((p) => h('option', { value: p.id }, p.name)));
  const restore = h('input', { type: 'file', accept: '.json,application/json', id: 'setup-restore' });
  restore.addEventListener('change', () => {
    const file = /** @type {HTMLInputElement} */ (restore).files?.[0];
    if (file) actions.chooseBackupFile(file);
  });
  /** @param {import('./desk.js').Role} role */
  const demo = async (role) => {
    if (!(await desk.chooseRole(role))) return;
    const summary = await desk.loadDemo();
    if (summary) notify(`Demo desk set up: ${summary.registrations} registrations, ${summary.leads} leads.`);
  };
  return h('section', { class: 'setup' },
    h('h1', {}, 'Set up this desk'),
    h('p', { class: 'lead' }, 'dealreg keeps everything in this browser: no account, no server. Whose desk is this?'),
    published.name ? h('p', { id: 'setup-hosted', class: 'note' }, `This site publishes ${published.name}${published.vendor ? ` by ${published.vendor}` : ''}. Partners join it with the invitation the vendor sent them.`) : null,
    h('div', { class: 'role-choice' },
      h('div', { class: 'card', id: 'setup-vendor' },
        h('h2', {}, 'I run a partner programme'),
        h('p', { class: 'muted' }, 'As the vendor you build the programme, invite your partners, review their registrations, route leads and read the reports. You start from a typical 90-day programme.'),
        startForm()),
      h('div', { class: 'card', id: 'setup-partner' },
        h('h2', {}, 'I was invited by a vendor'),
        h('p', { class: 'muted' }, 'As a partner you register deals, work the leads you are given and exchange files with the vendor. Open the invitation link the vendor sent you, or choose its file here.'),
        h('div', { class: 'field' }, h('label', { for: 'setup-invitation' }, 'Invitation file'), invitationFile),
        h('form', { class: 'field', onsubmit: joinByLink },
          h('label', { for: 'setup-link' }, 'Or paste the invitation link'),
          h('div', { class: 'row' }, linkInput, h('button', { type: 'submit' }, 'Join'))))),
    h('div', { class: 'card demo-choice' },
      h('h2', {}, 'Just looking?'),
      h('p', { class: 'muted' }, 'Open a demo desk: Auroral Networks, its six partners, 109 registrations and 240 leads, all made up. The demo lets you pick any side; a real desk is the vendor\'s, or the invited partner\'s.'),
      h('div', { class: 'toolbar' },
        h('button', { id: 'demo-as-vendor', onclick: () => demo({ kind: 'vendor' }) }, 'Demo as the vendor'),
        demoPartners.length ? demoPartner : null,
        demoPartners.length ? h('button', { id: 'demo-as-partner', onclick: () => demo({ kind: 'partner', partnerId: /** @type {HTMLSelectElement} */ (demoPartner).value }) }, 'Demo as this partner') : null)),
    h('p', { class: 'muted' }, h('label', { for: 'setup-restore' }, 'Or restore a backup file:'), ' ', restore));
}

/**
 * Shows who an invitation makes this desk, and sets the desk up if the person agrees.
 * @param {string} name where it came from
 * @param {string} text the invitation file, or a link holding it
 */
async function offerJoin(name, text) {
  const read = desk.invitation(name, text);
  if ('failure' in read) {
    showFailure(read.failure);
    return;
  }
  const w = read.welcome;
  const role = desk.overview().role;
  const again = role?.kind === 'partner';
  if (!(await confirmDialog(again ? `Open the new invitation of ${w.partner}?` : `Join ${w.programme}?`,
    again
      ? `It replaces this desk's signing key with the new one ${w.vendor} made for ${w.partner}; what the desk holds stays.`
      : `This desk becomes ${w.partner}'s partner desk in ${w.vendor}'s programme. Check that the vendor key matches what ${w.vendor} told you.`,
    again ? 'Use the new invitation' : `Join as ${w.partner}`,
    [`Partner: ${w.partner}`, `Tier: ${w.tier}`, `Programme: ${w.programme}`, `Vendor: ${w.vendor}`, `Vendor key: ${fingerprint(w.vendorKey)}`, `Invited on ${w.issuedAt.slice(0, 10)}`]))) return;
  const joined = await desk.join(read.text);
  if (!joined) return;
  location.hash = '#overview';
  notify(again ? `The new invitation is in use: this desk signs as ${joined.partner} with its new key.` : `Welcome, ${joined.partner}: this desk is set up in ${joined.programme}. Register your first deal.`);
  await checkHostedProgramme();
}

/**
 * An invitation link opened in this page: the invitation is taken out of the
 * address at once (it holds a key; the address stays in the history), then offered.
 */
async function joinFromAddress() {
  if (!location.hash.startsWith('#join=')) return;
  const link = location.hash;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  await render();
  await offerJoin('the invitation link', link);
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

/**
 * Whether the person has typed into the page as drawn (a half-filled form):
 * another tab's change then does not redraw it (see `onDeskChange`).
 */
let typing = false;
main.addEventListener('input', () => { typing = true; });

/**
 * After a change: this tab's redraws the page; another tab's redraws it too
 * unless the person is typing into it, which would be lost. Then only the
 * header follows, and a note says the page is behind.
 * @param {{ remote: boolean }} how
 */
function onDeskChange(how) {
  if (!how.remote || !typing) {
    render();
    return;
  }
  renderHeader(desk.overview());
  if (document.getElementById('remote-change')) return;
  main.prepend(h('div', { class: 'note remote-change', id: 'remote-change', role: 'status' },
    'This desk was changed in another tab or window. What you are typing here is kept; this page shows the change once you save or leave it. ',
    h('button', { type: 'button', class: 'small', onclick: () => render() }, 'Show it now (what you typed is lost)')));
}

/**
 * The header and navigation, from the overview.
 * @param {import('./desk.js').Overview} head
 */
function renderHeader(head) {
  roleBadge.textContent = roleLabel(head);
  roleBadge.dataset.role = head.role?.kind ?? 'none';
  programmeName.textContent = head.programme?.name ?? '';
  document.body.classList.toggle('no-role', !head.role);
  if (!head.role) return;
  const [area] = currentRoute(head.role.kind);
  const waiting = head.toReview;
  mount(nav, areasFor(head.role.kind).map(([id, label]) => h('a', { href: `#${id}`, 'aria-current': id === area ? 'page' : null },
    label, id === 'review' && waiting ? h('span', { class: 'count' }, String(waiting)) : null)));
}

let rendering = 0;
async function render() {
  const ticket = ++rendering;
  typing = false;
  // The header and the overview need no records: the whole desk is handed
  // over only for the views that list them (10,000 registrations take
  // longer to hand over than to read from storage).
  const head = desk.overview();
  // Saved again: the warning that offered a backup has done its work.
  if (!desk.unsaved()) for (const box of document.querySelectorAll('#alerts .alert[data-sticky]')) box.remove();
  renderHeader(head);
  if (!head.role) {
    const view = await setupView();
    if (ticket === rendering) mount(main, view);
    return;
  }
  const [area, param] = currentRoute(head.role.kind);
  const scroll = window.scrollY;
  // The overview and Files are drawn from the overview's figures; the other
  // views list records, and get the whole desk.
  mount(main, area === 'overview' ? overview(head) : area === 'files' ? filesView(head, actions) : VIEWS[area](desk.state(), actions, param));
  if (ticket === lastTicketArea.ticket + 1 && lastTicketArea.key === location.hash) window.scrollTo(0, scroll);
  lastTicketArea.ticket = ticket;
  lastTicketArea.key = location.hash;
}
/** Keeps the scroll position when the same page re-renders after a change. */
const lastTicketArea = { ticket: 0, key: '' };

/** The kept desk cannot be read: say why, and offer to save it and start over. */
/** @param {import('./desk.js').Failure} failure */
function showUnreadable(failure) {
  const previous = desk.previousCopy();
  roleBadge.textContent = 'Desk unreadable';
  document.body.dataset.ready = 'true';
  mount(main, h('section', { class: 'setup' },
    h('h1', {}, 'The desk in this browser cannot be read'),
    h('p', {}, failure.message),
    failure.problems.length > 1 ? h('ul', { class: 'problems' }, failure.problems.map((p) => h('li', {}, h('code', {}, p.path), ' ', p.message))) : null,
    h('p', {}, previous === undefined
      ? 'Nothing has been changed or deleted. Save what is stored to a file, then start an empty desk (or import a backup into it): the unreadable one is also kept aside in this browser.'
      : `Nothing has been changed or deleted. The desk as it was before its last save is kept${previous ? ` (saved ${previous.slice(0, 16).replace('T', ' ')} UTC)` : ''}: restore it, or save what is stored to a file and start an empty desk. Either way the unreadable one is kept aside in this browser.`),
    h('div', { class: 'actions' },
      h('button', { onclick: () => { const text = desk.storedText(); if (text !== undefined) download('dealreg-unreadable-desk.json', text); } }, 'Download what is stored'),
      previous === undefined ? null : h('button', { class: 'primary', id: 'restore-previous', onclick: async () => { if (await desk.restorePrevious()) { reopened('Restored the desk as it was before its last save.'); } } }, 'Restore the copy from before the last save'),
      h('button', { class: previous === undefined ? 'primary' : null, onclick: async () => { if (await desk.startOver()) reopened(); } }, 'Start an empty desk'))));
}

/** After the desk was replaced on the unreadable screen: render it as usual. @param {string} [message] */
function reopened(message) {
  desk.onChange(onDeskChange);
  window.addEventListener('hashchange', onHashChange);
  render();
  if (message) notify(message);
}

async function boot() {
  desk.onFailure((failure) => showFailure(failure, actions.exportBackup));
  const failure = await desk.open();
  if (failure) {
    if (failure.title.startsWith('Loading')) showFailure(failure);
    else showUnreadable(failure);
    return;
  }
  desk.onChange(onDeskChange);
  window.addEventListener('hashchange', onHashChange);
  const joining = location.hash.startsWith('#join=');
  if (!joining) await render();
  document.body.dataset.ready = 'true';
  // What bench/capacity.mjs reads: the page's own clock from navigation to here.
  performance.mark('dealreg:ready');
  if (joining) await joinFromAddress();
  else await checkHostedProgramme();
}

/** A new place in the page, or an invitation link pasted into the address bar. */
function onHashChange() {
  if (location.hash.startsWith('#join=')) joinFromAddress();
  else render();
}

/**
 * Registers the service worker (`sw.js`) that keeps the page's files for
 * offline use. Only where browsers allow one: https, or http on this machine.
 */
function keepOffline() {
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(location.hostname);
  if (!('serviceWorker' in navigator) || !(location.protocol === 'https:' || (location.protocol === 'http:' && local))) return;
  navigator.serviceWorker.register('sw.js').catch((error) => {
    // The page works without it; only offline use is lost.
    console.warn('dealreg: the offline copy is not kept:', error);
  });
}

boot();
keepOffline();
