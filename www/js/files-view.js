// @ts-check
/**
 * The Files area: everything that leaves or enters the desk. Partners send
 * submissions and read decisions and programme files; the vendor reads many
 * submissions at once, sends decisions, publishes the signed programme and
 * keeps its signing key; both back up and restore the whole desk.
 */
import { auditLog, keyProblem, publicKey, trustedVendorKey } from './desk.js';
import { h } from './dom.js';
import { heading } from './views.js';

/**
 * @typedef {import('./desk.js').Overview} Overview
 * @typedef {import('./views.js').Actions} Actions
 * @typedef {{ file: string, text: string, failed?: boolean }} ReportLine
 */

/** Lines shown under the file imports until the page is reloaded. */
/** @type {ReportLine[]} */
export const importLog = [];

/** How far the last multi-file import got, kept across re-renders. */
export const importProgress = { done: 0, total: 0, label: '' };

/**
 * Shows the progress of a multi-file import in place, without re-rendering.
 * @param {number} done
 * @param {number} total
 * @param {string} label
 */
export function showProgress(done, total, label) {
  Object.assign(importProgress, { done, total, label });
  const box = document.getElementById('import-progress');
  if (!box) return;
  box.hidden = false;
  const bar = /** @type {HTMLProgressElement} */ (box.querySelector('progress'));
  bar.max = total;
  bar.value = done;
  /** @type {HTMLElement} */ (box.querySelector('span')).textContent = label;
}

/** The first characters of a public key: enough for a person to compare. */
export const fingerprint = (/** @type {string} */ key) => `${key.slice(0, 8)}…${key.slice(-6)}`;

/**
 * A file picker that also takes dropped files.
 * @param {string} id
 * @param {string} label
 * @param {boolean} multiple
 * @param {(files: File[]) => void} onFiles
 */
function fileDrop(id, label, multiple, onFiles) {
  const input = h('input', { type: 'file', accept: '.json,application/json', id, multiple });
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) onFiles(files);
  });
  const zone = h('label', { class: 'dropzone', for: id }, h('strong', {}, label), ' or drop here', input);
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) onFiles(multiple ? files : files.slice(0, 1));
  });
  return zone;
}

function logList() {
  return importLog.length
    ? h('ul', { class: 'import-log' }, importLog.map((line) => h('li', { class: line.failed ? 'failed' : null }, h('strong', {}, line.file), ': ', line.text)))
    : null;
}

/**
 * The signing key card, for either role.
 * @param {Overview} ws
 * @param {Actions} actions
 * @param {string | undefined} key
 */
function keyCard(ws, actions, key) {
  const isVendor = ws.role?.kind === 'vendor';
  const partnerId = ws.role?.kind === 'partner' ? ws.role.partnerId : '';
  const named = isVendor
    ? ws.programme?.vendorKey
    : ws.programme?.partners.find((p) => p.id === partnerId)?.signingKey;
  const importer = fileDrop('key-file', 'Choose the key file', false, (files) => actions.importKey(files[0]));
  const problem = keyProblem();
  if (problem) {
    return h('article', { class: 'card', id: 'signing-key' },
      h('h2', {}, 'Signing key'),
      h('p', { class: 'warning' }, `${problem[0].toUpperCase()}${problem.slice(1)}. Nothing is signed until you import your key file.`),
      importer);
  }
  if (!key) {
    return h('article', { class: 'card', id: 'signing-key' },
      h('h2', {}, 'Signing key'),
      named
        ? h('p', { class: 'warning' }, `The programme names this desk's key (${fingerprint(named)}), but this browser does not hold it. Import the key file to sign again.`)
        : h('p', {}, isVendor
          ? 'Sign the programme and every decision file, so partners can tell your files from forged or edited ones. The key is made in this browser and never leaves it unless you export it.'
          : 'Sign your submissions, so the vendor can tell them from forged ones. Once made, send the public key to the vendor to list in the programme.'),
      named ? null : h('button', { class: 'primary', onclick: actions.createKey }, 'Make the signing key'),
      importer);
  }
  return h('article', { class: 'card', id: 'signing-key' },
    h('h2', {}, 'Signing key'),
    h('p', {}, isVendor ? 'Your programme and decision files are signed with this key.' : (named === key
      ? 'Your submissions are signed with this key, and the vendor checks them against it.'
      : 'Your submissions are signed. Send this public key to the vendor to list in the programme:')),
    h('p', {}, 'Public key: ', h('code', { class: 'key', id: 'public-key' }, key)),
    h('p', { class: 'muted' }, 'Export the key file, locked with a passphrase, to sign from another browser. Anyone who has both can sign in your name: keep them offline, apart.'),
    h('button', { onclick: actions.exportKey }, 'Export key file'));
}

/**
 * The partner's card for the vendor's programme: what it holds, and adopting a newer file.
 * @param {Overview} ws
 * @param {Actions} actions
 */
function programmeCard(ws, actions) {
  const p = ws.programme;
  return h('article', { class: 'card', id: 'programme-file' },
    h('h2', {}, 'The vendor\'s programme'),
    p ? h('p', {}, `${p.name}, revision ${p.revision ?? 1}.`) : h('p', {}, 'This desk holds no programme yet.'),
    h('p', { class: 'muted' }, 'When the vendor publishes a new programme file, read it here: you see what changes before adopting it.'),
    fileDrop('programme-file-input', 'Choose a programme file', false, (files) => actions.chooseProgrammeFile(files[0])));
}

/**
 * The partner's card for the vendor key this browser trusts, and changing it.
 * @param {Actions} actions
 */
function vendorKeyCard(actions) {
  const trusted = trustedVendorKey();
  return h('article', { class: 'card', id: 'vendor-key' },
    h('h2', {}, 'Vendor key'),
    trusted
      ? h('p', {}, `Files from ${trusted.vendor} are checked against its key `, h('code', { class: 'key', id: 'trusted-key' }, fingerprint(trusted.vendorKey)),
        `, trusted here since ${trusted.since.slice(0, 10)}. Demo data, a backup or an empty desk never change it; only you do.`)
      : h('p', {}, 'This browser trusts no vendor key yet: the first signed programme you adopt sets it.'),
    trusted ? h('p', { class: 'muted' }, 'Has the vendor told you, by phone or in person, that its key changed? Choose a programme file signed with the new key: you compare both keys before anything changes.') : null,
    trusted ? fileDrop('trust-key-input', 'Choose a programme file with the new key', false, (files) => actions.trustKeyOf(files[0])) : null);
}

/** The audit events the page shows; the backup holds them all. */
const AUDIT_SHOWN = 200;

/**
 * Drawn from the desk's overview, never the whole desk: a big desk restored
 * here is shown at once.
 * @param {Overview} ws
 * @param {Actions} actions
 */
export function filesView(ws, actions) {
  const key = publicKey();
  const backup = fileDrop('backup-file', 'Choose a backup file', false, (files) => actions.chooseBackupFile(files[0]));
  const events = auditLog(AUDIT_SHOWN);
  const programme = ws.programme;
  const isVendor = ws.role?.kind === 'vendor';
  /** @type {(HTMLElement | null)[]} */
  let exchange = [];
  if (programme && isVendor) {
    const partner = h('select', { id: 'decisions-partner', 'aria-label': 'Partner' },
      programme.partners.map((p) => h('option', { value: p.id }, p.name)));
    exchange = [
      h('article', { class: 'card' },
        h('h2', {}, 'Partners\' submissions'),
        h('p', {}, 'Read the files partners send, as many at once as you like. New registrations get your receipt time, which decides who registered first, and are evaluated at once against every registration already here.'),
        fileDrop('submission-files', 'Choose submission files', true, actions.importSubmissions),
        h('div', { class: 'progress', id: 'import-progress', hidden: importProgress.total === 0 },
          h('progress', { max: importProgress.total || 1, value: importProgress.done, 'aria-label': 'Files read' }),
          h('span', { class: 'muted', 'aria-live': 'polite' }, importProgress.label)),
        logList()),
      h('article', { class: 'card' },
        h('h2', {}, 'Send decisions'),
        h('p', {}, `One file per partner with the status, protection and reason of each of its registrations${programme.vendorKey ? ', signed with your key' : ''}.`),
        h('div', { class: 'toolbar' }, partner,
          h('button', { class: 'primary', onclick: () => actions.exportDecisions(partner.value) }, 'Export decision file'))),
      h('article', { class: 'card' },
        h('h2', {}, 'Publish the programme'),
        h('p', {}, `Revision ${programme.revision ?? 1}${programme.vendorKey ? ', signed with your key' : ', unsigned: make a signing key first so partners can check it'}. Send the file to partners, or put it beside this page on your site as programme.json: partner desks opened from there load it by themselves and show what changed.`),
        h('button', { class: 'primary', onclick: actions.exportProgramme }, 'Export programme file')),
      keyCard(ws, actions, key),
    ];
  } else if (programme) {
    const pending = ws.unsent;
    exchange = [
      h('article', { class: 'card' },
        h('h2', {}, 'Send to the vendor'),
        h('p', {}, `A submission file with your registrations (${pending} not yet received by the vendor), closes and extension requests.`),
        h('button', { class: 'primary', onclick: actions.exportSubmission }, 'Export submission file')),
      h('article', { class: 'card' },
        h('h2', {}, 'Read the vendor\'s decisions'),
        h('p', {}, 'The decision file the vendor sent: approvals with protection dates, rejections with reasons, extensions.'),
        fileDrop('decision-file', 'Choose the decision file', false, (files) => actions.importDecisions(files[0])), logList()),
      programmeCard(ws, actions),
      vendorKeyCard(actions),
      keyCard(ws, actions, key),
    ];
  } else if (ws.role?.kind === 'partner') {
    exchange = [programmeCard(ws, actions), vendorKeyCard(actions)];
  }
  return h('section', {},
    heading('Files', 'Everything on this desk lives in this browser. Files are how it travels.'),
    h('div', { class: 'cards' },
      exchange,
      h('article', { class: 'card' },
        h('h2', {}, 'Back up this desk'),
        h('p', {}, `One JSON file with the whole desk: ${ws.registrations} registrations, ${ws.leads} leads, ${ws.campaigns.length} campaigns and ${ws.auditEvents} audit events. It never holds the signing key.`),
        h('button', { class: 'primary', onclick: actions.exportBackup }, 'Export backup')),
      h('article', { class: 'card' },
        h('h2', {}, 'Restore a backup'),
        h('p', {}, 'Replaces this desk with the one in the file. The file is checked first; a bad file changes nothing.'),
        backup),
      h('article', { class: 'card' },
        h('h2', {}, 'Demo data'),
        h('p', {}, 'The Auroral Networks programme with 6 partners, 109 registrations, 240 leads and 5 campaigns. Replaces what this desk holds.'),
        h('button', { onclick: actions.loadDemo }, 'Load the demo data')),
      h('article', { class: 'card' },
        h('h2', {}, 'Start an empty desk'),
        h('p', {}, 'Removes the programme and every record from this browser, and lets you choose the role again. The signing key stays. Export a backup first.'),
        h('button', { class: 'danger', onclick: actions.reset }, 'Start an empty desk'))),
    h('h2', {}, 'Audit log'),
    ws.auditEvents > events.length ? h('p', { class: 'muted' }, `The latest ${events.length} of ${ws.auditEvents} events; the backup file holds them all.`) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'audit' },
      h('thead', {}, h('tr', {}, ['#', 'When (UTC)', 'Who', 'What', 'Detail'].map((t) => h('th', {}, t)))),
      h('tbody', {}, events.map((e) => h('tr', {},
        h('td', { class: 'num' }, String(e.seq)), h('td', {}, e.at.slice(0, 19).replace('T', ' ')),
        h('td', {}, e.actor), h('td', {}, e.action), h('td', {}, e.detail)))))));
}
