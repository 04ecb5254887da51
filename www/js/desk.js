// @ts-check
/**
 * The one module that talks to the wasm package. It opens the desk kept in
 * localStorage, runs every call, and is the one place that catches errors:
 * each becomes a `Failure` handed to the page's reporter, and the call returns
 * `undefined`. The page's clock is read here and passed in: the core reads none.
 */
import init, { Desk, readBackup as coreReadBackup, version } from '../pkg/dealreg.js';

/**
 * @typedef {import('../pkg/dealreg.js').Workspace} Workspace
 * @typedef {import('../pkg/dealreg.js').Role} Role
 * @typedef {import('../pkg/dealreg.js').Change} Change
 * @typedef {import('../pkg/dealreg.js').Summary} Summary
 * @typedef {import('../pkg/dealreg.js').Problem} Problem
 * @typedef {{ title: string, message: string, problems: Problem[] }} Failure
 */

/** @type {Desk | null} */
let desk = null;
/** @type {(failure: Failure) => void} */
let reporter = (failure) => console.error(failure.title, failure.message);
/** @type {Set<() => void>} */
const listeners = new Set();

/** The time now, as the core wants it. */
export function now() {
  return new Date().toISOString();
}

/**
 * @param {string} title what was being done, for the person reading the message
 * @param {unknown} error
 * @returns {Failure}
 */
function toFailure(title, error) {
  if (error instanceof Error) {
    const problems = /** @type {{ problems?: Problem[] }} */ (error).problems;
    return { title, message: error.message, problems: Array.isArray(problems) ? problems : [] };
  }
  return { title, message: String(error), problems: [] };
}

/**
 * Runs `fn` against the open desk; reports a failure instead of throwing.
 * @template T
 * @param {string} title
 * @param {(desk: Desk) => T} fn
 * @returns {T | undefined}
 */
function attempt(title, fn) {
  if (!desk) {
    reporter({ title, message: 'The desk is not open.', problems: [] });
    return undefined;
  }
  try {
    const result = fn(desk);
    changed();
    return result;
  } catch (error) {
    reporter(toFailure(title, error));
    return undefined;
  }
}

function changed() {
  for (const listener of listeners) listener();
}

/** @param {(failure: Failure) => void} fn */
export function onFailure(fn) {
  reporter = fn;
}

/** @param {() => void} fn called after every change that went through */
export function onChange(fn) {
  listeners.add(fn);
}

/**
 * Loads the wasm module and opens the desk. A desk that cannot be read is
 * returned as a failure; it stays in storage untouched.
 * @returns {Promise<Failure | null>}
 */
export async function open() {
  try {
    await init();
  } catch (error) {
    return toFailure('Loading dealreg', error);
  }
  try {
    desk = Desk.open();
  } catch (error) {
    return toFailure('Opening the desk kept in this browser', error);
  }
  // Another tab saved the desk: show what it saved rather than overwrite it later.
  window.addEventListener('storage', (event) => {
    if (event.key !== 'dealreg.workspace') return;
    try {
      desk = Desk.open();
      changed();
    } catch (error) {
      reporter(toFailure('Reading the desk another tab saved', error));
    }
  });
  return null;
}

/** @returns {Workspace} */
export function state() {
  if (!desk) throw new Error('the desk is not open');
  return desk.state();
}

/**
 * Applies a change; true if it went through.
 * @param {string} title
 * @param {Change} change
 * @returns {boolean}
 */
function apply(title, change) {
  return attempt(title, (d) => { d.apply(change, now()); return true; }) ?? false;
}

/** @param {Role} role */
export function chooseRole(role) {
  return apply('Choosing the role', { type: 'chooseRole', role });
}

export function reset() {
  return apply('Starting an empty desk', { type: 'reset' });
}

/**
 * Fetches the demo programme and data set served beside the page and loads them.
 * @returns {Promise<Summary | undefined>}
 */
export async function loadDemo() {
  let texts;
  try {
    texts = await Promise.all(
      ['demo/programme.json', 'demo/dataset.json'].map(async (path) => {
        const response = await fetch(path);
        if (!response.ok) throw new Error(`${path}: the server answered ${response.status}`);
        return response.text();
      }),
    );
  } catch (error) {
    reporter(toFailure('Fetching the demo data', error));
    return undefined;
  }
  return attempt('Loading the demo data', (d) => d.loadDataset(texts[0], texts[1], now()));
}

/** @returns {string | undefined} the whole desk as a backup file */
export function exportBackup() {
  return attempt('Exporting a backup', (d) => d.exportBackup());
}

/**
 * Reads a backup file without touching the desk, to show what it holds.
 * @param {string} text
 * @returns {Workspace | undefined}
 */
export function readBackup(text) {
  try {
    return coreReadBackup(text);
  } catch (error) {
    reporter(toFailure('Reading the backup file', error));
    return undefined;
  }
}

/** @param {string} text */
export function importBackup(text) {
  return attempt('Importing the backup', (d) => d.importBackup(text));
}

/** The kept desk exactly as stored, for saving an unreadable one. */
export function storedText() {
  try {
    return Desk.storedText() ?? '';
  } catch (error) {
    reporter(toFailure('Reading what is stored', error));
    return undefined;
  }
}

/** Sets an unreadable kept desk aside and opens an empty one. */
export function startOver() {
  try {
    desk = Desk.startOver(now());
    changed();
    return true;
  } catch (error) {
    reporter(toFailure('Starting an empty desk', error));
    return false;
  }
}

export { version };
