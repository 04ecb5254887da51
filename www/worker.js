// @ts-check
/**
 * The page's worker: long work on a copy of the desk, away from the page's
 * main thread, so the page keeps answering while a big file is read, checked
 * and imported. It runs the same module and the same changes as the page,
 * on a copy opened from the storage values the page sends (`Desk.copyOf`),
 * and hands the resulting desk back in parts (`Desk.handOver`) for the page
 * to adopt. The page cancels by ending the worker. Messages: see js/desk.js
 * (`Job`).
 */
import init, { Desk } from './pkg/dealreg.js';

/** The changes a page may ask of a copy (each a method of `Desk`). */
const CALLS = new Set(['importBackup', 'previewLeadImport', 'importLeads', 'importSubmission', 'overview']);

const scope = /** @type {DedicatedWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const ready = init();
/** @type {Desk | null} */
let copy = null;

/** @param {unknown} error */
function failure(error) {
  const e = /** @type {{ message?: string, problems?: unknown, kind?: string }} */ (error);
  return { message: e?.message ?? String(error), problems: Array.isArray(e?.problems) ? e.problems : [], kind: e?.kind ?? null };
}

scope.addEventListener('message', async (/** @type {MessageEvent} */ event) => {
  await ready;
  const { id, kind } = event.data;
  try {
    if (kind === 'open') {
      copy?.free();
      copy = Desk.copyOf(event.data.items);
      scope.postMessage({ id, value: copy.revision });
    } else if (kind === 'call') {
      if (!copy || !CALLS.has(event.data.op)) throw new Error(`${event.data.op} is not work for the worker`);
      // A file is read here, not by the page: decoding 40 MB of text took the page's thread a second.
      const args = await Promise.all(event.data.args.map((/** @type {unknown} */ a) => (a instanceof Blob ? a.text() : a)));
      const value = /** @type {any} */ (copy)[event.data.op](...args);
      scope.postMessage({ id, value });
    } else if (kind === 'handOver') {
      if (!copy) throw new Error('no copy of the desk is open');
      const parts = copy.handOver(event.data.batch);
      // Transferred, not copied: a big desk's parts are tens of megabytes.
      const buffers = [...parts.registrations, ...parts.leads, parts.document].map((b) => b.buffer);
      scope.postMessage({ id, value: parts }, { transfer: buffers });
    }
  } catch (error) {
    scope.postMessage({ id, failure: failure(error) });
  }
});
