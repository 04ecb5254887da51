// @ts-check
/**
 * Messages to the person using the page: a failure (an alert that stays until
 * dismissed, with every problem by field), a success (a toast that leaves by
 * itself), and a question (a modal dialog with two answers).
 */
import { h } from './dom.js';

const alerts = /** @type {HTMLElement} */ (document.getElementById('alerts'));
const toast = /** @type {HTMLElement} */ (document.getElementById('toast'));

/**
 * @param {import('./desk.js').Failure} failure
 * @param {() => void} [exportBackup] offered when the failure asks for a backup
 */
export function showFailure(failure, exportBackup) {
  // An alert that offers a backup stays until dismissed: a success toast does not clear it.
  const box = h('div', { class: 'alert', role: 'alert', 'data-sticky': failure.backup ? 'true' : null },
    h('button', { class: 'close', 'aria-label': 'Dismiss', onclick: () => box.remove() }, '×'),
    h('strong', {}, failure.title),
    h('p', {}, failure.message),
    failure.problems.length > 1
      ? h('ul', { class: 'problems' }, failure.problems.map((p) => h('li', {}, h('code', {}, p.path), ' ', p.message)))
      : null,
    failure.backup && exportBackup ? h('button', { class: 'primary', id: 'unsaved-backup', onclick: exportBackup }, 'Export a backup now') : null);
  alerts.replaceChildren(box);
}

/** @param {string} message */
export function notify(message) {
  for (const box of alerts.querySelectorAll('.alert:not([data-sticky])')) box.remove();
  toast.textContent = message;
  toast.classList.add('shown');
  clearTimeout(Number(toast.dataset.timer));
  toast.dataset.timer = String(setTimeout(() => toast.classList.remove('shown'), 4000));
}

/**
 * A modal question with two answers.
 * @param {string} title
 * @param {string} text
 * @param {string} ok
 * @param {string[]} [items] listed under the text
 * @returns {Promise<boolean>}
 */
export function confirmDialog(title, text, ok, items = []) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'dialog' },
      h('h2', {}, title), h('p', {}, text),
      items.length ? h('ul', { class: 'changes' }, items.map((item) => h('li', {}, item))) : null,
      h('div', { class: 'actions' },
        h('button', { onclick: () => dialog.close('cancel') }, 'Cancel'),
        h('button', { class: 'primary', onclick: () => dialog.close('ok') }, ok)));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'ok'); });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

/**
 * A modal dialog holding form controls; resolves true on OK.
 * @param {string} title
 * @param {string} text
 * @param {string} ok
 * @param {HTMLElement[]} body
 * @param {boolean} [only] one button, no cancel
 * @returns {Promise<boolean>}
 */
export function formDialog(title, text, ok, body, only = false) {
  return new Promise((resolve) => {
    const form = h('form', { method: 'dialog' },
      h('h2', {}, title), h('p', {}, text), ...body,
      h('div', { class: 'actions' },
        only ? null : h('button', { type: 'button', onclick: () => dialog.close('cancel') }, 'Cancel'),
        h('button', { class: 'primary', value: 'ok' }, ok)));
    const dialog = h('dialog', { class: 'dialog wide' }, form);
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'ok'); });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

/**
 * A modal dialog showing how far long work has got, with a Cancel button
 * that calls `cancel` (and closes it). The work updates and closes it.
 * @param {string} title
 * @param {() => void} cancel
 */
export function progressDialog(title, cancel) {
  const label = h('p', { 'aria-live': 'polite' });
  const bar = h('progress', { 'aria-label': title });
  const dialog = h('dialog', { class: 'dialog', id: 'progress' },
    h('h2', {}, title), label, bar,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => { cancel(); dialog.close(); } }, 'Cancel')));
  dialog.addEventListener('cancel', () => cancel()); // Escape
  dialog.addEventListener('close', () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
  return {
    /**
     * @param {string} text what is being done
     * @param {number} [done] how much of `total` is done; none: not known
     * @param {number} [total]
     */
    say(text, done, total) {
      label.textContent = text;
      if (done === undefined || !total) bar.removeAttribute('value');
      else { bar.max = total; bar.value = done; }
    },
    close() { if (dialog.open) dialog.close(); },
  };
}
