// @ts-check
/**
 * What lets two tabs or windows of one desk change it without losing a
 * change. A Web Lock gives one tab at a time the desk; but each tab reads
 * localStorage from its own copy, which the browser brings up to date a
 * moment after another tab writes (measured in Chromium: two tabs adding one
 * to a number under a Web Lock lost 101 of 600 additions). So the revision
 * of every save is also written to IndexedDB, which answers every tab alike:
 * a tab holding the lock first waits until its copy of localStorage shows
 * that revision, then reads it. (tests/e2e/tabs.test.mjs, bench/tabs.mjs.)
 */

/** The Web Lock every tab of this site holds while it changes the desk. */
const LOCK = 'dealreg.desk';
/** How long a tab waits for its copy of localStorage to show the last save
 * (a few milliseconds, measured) before it trusts the copy it has: a desk
 * removed from localStorage by hand would otherwise never catch up. */
const CATCH_UP_MS = 3000;

/** @type {Promise<IDBDatabase | null> | null} */
let database = null;

/** The register of the last save, or null where IndexedDB is not available. */
function register() {
  database ??= new Promise((resolve) => {
    try {
      const request = indexedDB.open('dealreg', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('saves');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return database;
}

/**
 * The revision of the last save of the desk by any tab (0 if unknown).
 * @returns {Promise<number>}
 */
async function lastSave() {
  const db = await register();
  if (!db) return 0;
  return new Promise((resolve) => {
    const read = db.transaction('saves').objectStore('saves').get('revision');
    read.onsuccess = () => resolve(typeof read.result === 'number' ? read.result : 0);
    read.onerror = () => resolve(0);
  });
}

/**
 * Records that the desk was saved as `revision`.
 * @param {number} revision
 * @returns {Promise<void>}
 */
async function recordSave(revision) {
  const db = await register();
  if (!db) return;
  await new Promise((resolve) => {
    const write = db.transaction('saves', 'readwrite');
    write.objectStore('saves').put(revision, 'revision');
    write.oncomplete = resolve;
    write.onerror = resolve;
    write.onabort = resolve;
  });
}

/**
 * Runs `change` while no other tab of this site changes the desk, once this
 * tab's copy of localStorage shows every save made so far. `storedRevision`
 * reads the revision this tab's copy shows; `change` returns the revision it
 * saved, if it saved. Without Web Locks (a page served over plain http from
 * another machine), `change` runs at once: the core's revision check then
 * still refuses most saves from a tab that missed another's.
 * @template T
 * @param {() => number} storedRevision
 * @param {() => { result: T, saved: number | null }} change
 * @returns {Promise<T>}
 */
export async function withDesk(storedRevision, change) {
  const run = async () => {
    const last = await lastSave();
    const until = performance.now() + CATCH_UP_MS;
    while (storedRevision() < last && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const { result, saved } = change();
    if (saved !== null) await recordSave(saved);
    return result;
  };
  return navigator.locks ? navigator.locks.request(LOCK, run) : run();
}
