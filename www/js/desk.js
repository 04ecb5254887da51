// @ts-check
/**
 * The one module that talks to the wasm package. It opens the desk kept in
 * localStorage, runs every call, and is the one place that catches errors:
 * each becomes a `Failure` handed to the page's reporter, and the call returns
 * `undefined`. The page's clock is read here and passed in: the core reads none.
 *
 * Every change runs with the desk to itself (`exclusive`): no other tab or
 * window of this site changes it meanwhile, and a desk another tab saved since
 * this one read it is read first, so the change goes on top of the other
 * tab's or is refused with the other tab's shown. Changes are therefore async.
 */
import { withDesk } from './tabs.js';
import init, {
  Assembly, Desk, invitationFromLink as coreInvitationFromLink, invitationLink as coreInvitationLink, keyFileIsLocked as coreKeyFileIsLocked,
  programmeTemplate as coreProgrammeTemplate, readProgramme as coreReadProgramme, readTable as coreReadTable, Sandbox, tableCsv as coreTableCsv, version,
} from '../pkg/dealreg.js';

/**
 * @typedef {import('../pkg/dealreg.js').Workspace} Workspace
 * @typedef {import('../pkg/dealreg.js').Role} Role
 * @typedef {import('../pkg/dealreg.js').Change} Change
 * @typedef {import('../pkg/dealreg.js').Summary} Summary
 * @typedef {import('../pkg/dealreg.js').Overview} Overview
 * @typedef {import('../pkg/dealreg.js').Problem} Problem
 * @typedef {import('../pkg/dealreg.js').Draft} Draft
 * @typedef {import('../pkg/dealreg.js').Preview} Preview
 * @typedef {import('../pkg/dealreg.js').Decision} Decision
 * @typedef {import('../pkg/dealreg.js').ImportReport} ImportReport
 * @typedef {import('../pkg/dealreg.js').ExtensionCheck} ExtensionCheck
 * @typedef {import('../pkg/dealreg.js').ProgrammeUpdate} ProgrammeUpdate
 * @typedef {import('../pkg/dealreg.js').LeadInsight} LeadInsight
 * @typedef {import('../pkg/dealreg.js').Routing} Routing
 * @typedef {import('../pkg/dealreg.js').LeadImportOptions} LeadImportOptions
 * @typedef {import('../pkg/dealreg.js').LeadImportPreview} LeadImportPreview
 * @typedef {import('../pkg/dealreg.js').LeadImport} LeadImport
 * @typedef {import('../pkg/dealreg.js').Calibration} Calibration
 * @typedef {import('../pkg/dealreg.js').Report} Report
 * @typedef {import('../pkg/dealreg.js').Simulation} Simulation
 * @typedef {import('../pkg/dealreg.js').Programme} Programme
 * @typedef {import('../pkg/dealreg.js').TrustedKey} TrustedKey
 * @typedef {import('../pkg/dealreg.js').ProgrammeSigner} ProgrammeSigner
 * @typedef {import('../pkg/dealreg.js').ProgrammeSaved} ProgrammeSaved
 * @typedef {import('../pkg/dealreg.js').TextTable} TextTable
 * @typedef {import('../pkg/dealreg.js').Welcome} Welcome
 * @typedef {{ title: string, message: string, problems: Problem[], backup?: boolean }} Failure
 *   `backup`: the page should offer to export a backup (the desk is not saved).
 */

/** @type {Desk | null} */
let desk = null;
/** @type {(failure: Failure) => void} */
let reporter = (failure) => console.error(failure.title, failure.message);
/** @type {Set<(how: { remote: boolean }) => void>} */
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
 * Runs `fn` against the open desk without changing it; reports a failure
 * instead of throwing.
 * @template T
 * @param {string} title
 * @param {(desk: Desk) => T} fn
 * @returns {T | undefined}
 */
function read(title, fn) {
  if (!desk) {
    reporter({ title, message: 'The desk is not open.', problems: [] });
    return undefined;
  }
  try {
    return fn(desk);
  } catch (error) {
    reporter(toFailure(title, error));
    return undefined;
  }
}

/**
 * Runs `fn` with the desk to itself: while it runs, no other tab or window
 * of this site changes the desk (see tabs.js). A desk another tab saved
 * since this one read it is read again first, so the change is made on top
 * of the other tab's. That is refused, and said, only when this tab holds
 * changes storage could not take: reading the other tab's desk would drop them.
 * @template T
 * @param {string} title
 * @param {(desk: Desk) => T} fn
 * @returns {Promise<{ value: T } | { failure: Failure }>}
 */
async function exclusive(title, fn) {
  /** @returns {{ result: { value: T } | { failure: Failure }, saved: number | null }} */
  const run = () => {
    if (!desk) return { result: { failure: { title, message: 'The desk is not open.', problems: [] } }, saved: null };
    if (desk.stale) {
      if (desk.unsaved) return { result: { failure: unsavedAndStale(title) }, saved: null };
      const fresh = openKept(title);
      if ('failure' in fresh) return { result: fresh, saved: null };
      desk = fresh.desk;
      changed({ remote: true });
    }
    const before = desk.revision;
    try {
      const value = fn(desk);
      return { result: { value }, saved: desk.revision === before ? null : desk.revision };
    } catch (error) {
      // Only without Web Locks: another tab saved between the check and the save.
      if (/** @type {{ kind?: string }} */ (error).kind === 'stale') reopen();
      return { result: { failure: toFailure(title, error) }, saved: null };
    }
  };
  return withDesk(storedRevision, run);
}

/** The revision this tab's copy of localStorage shows, or -1 if it cannot be read. */
function storedRevision() {
  try {
    return Desk.storedRevision();
  } catch {
    return -1;
  }
}

/**
 * A change: `fn` runs with the desk to itself (see `exclusive`); listeners
 * hear of it, and a failure is reported, not thrown.
 * @template T
 * @param {string} title
 * @param {(desk: Desk) => T} fn
 * @returns {Promise<T | undefined>}
 */
async function attempt(title, fn) {
  const outcome = await exclusive(title, fn);
  if ('failure' in outcome) {
    reporter(outcome.failure);
    return undefined;
  }
  changed({ remote: false });
  warnIfUnsaved();
  return outcome.value;
}

/** @param {string} title */
function unsavedAndStale(title) {
  return {
    title,
    message: 'Another tab or window saved this desk while this tab holds changes that are not saved (storage was full). Nothing was changed. Export a backup of this tab now, so nothing is lost; then reload the page to see the other tab\'s desk.',
    problems: [],
    backup: true,
  };
}

/**
 * The desk kept in storage, opened afresh.
 * @param {string} title
 * @returns {{ desk: Desk } | { failure: Failure }}
 */
function openKept(title) {
  try {
    return { desk: Desk.open() };
  } catch (error) {
    return { failure: toFailure(title, error) };
  }
}

/** Storage was full: the change is kept in this tab only; say so and offer a backup. */
function warnIfUnsaved() {
  const why = desk?.unsaved;
  if (!why) return;
  reporter({
    title: 'Not saved: this browser\'s storage for the page is full',
    message: `Your change is kept in this tab, and nothing stored before was lost, but it is not saved (${why}). Export a backup now; the next change tries to save again.`,
    problems: [],
    backup: true,
  });
}

/** Why the desk in this tab is not saved, if it is not (storage was full). */
export function unsaved() {
  return desk?.unsaved;
}

/** Reads the desk another tab saved, in place of this tab's. */
function reopen() {
  const fresh = openKept('Reading the desk another tab saved');
  if ('failure' in fresh) {
    reporter(fresh.failure);
    return;
  }
  desk = fresh.desk;
  changed({ remote: true });
}

/** @param {{ remote: boolean }} how `remote`: another tab's change, read here */
function changed(how) {
  for (const listener of listeners) listener(how);
}

/** @param {(failure: Failure) => void} fn */
export function onFailure(fn) {
  reporter = fn;
}

/** @param {(how: { remote: boolean }) => void} fn called after every change that went through, here or in another tab */
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
  // Protection that ran out while the page was closed (asked first: most
  // openings have none, and then need not wait for the desk to themselves).
  if (desk.expiryDue(now())) {
    const expired = await exclusive('Expiring registrations whose protection ran out', (d) => d.apply({ type: 'expireDue' }, now()));
    if ('failure' in expired) reporter(expired.failure);
  }
  // Another tab saved the desk: show what it saved. (A change made here reads
  // it first anyway, with the desk to itself: see `exclusive`.)
  window.addEventListener('storage', (event) => {
    if (!['dealreg.workspace', 'dealreg.key', 'dealreg.trust'].includes(event.key ?? '')) return;
    if (desk?.unsaved) {
      // Reading it now would drop this tab's unsaved changes: keep them, and say so.
      reporter({
        title: 'Another tab saved this desk',
        message: 'This tab holds changes that are not saved (storage was full). Export a backup of this tab now, then reload the page to see the other tab\'s.',
        problems: [],
        backup: true,
      });
      return;
    }
    reopen();
  });
  return null;
}

/**
 * The latest events of the audit log, newest first.
 * @param {number} limit
 * @returns {import('../pkg/dealreg.js').AuditEvent[]}
 */
export function auditLog(limit) {
  return read('Reading the audit log', (d) => d.auditLog(limit)) ?? [];
}

/** @returns {Workspace} */
export function state() {
  if (!desk) throw new Error('the desk is not open');
  return desk.state();
}

/**
 * The desk without its records, with the overview's figures: what every
 * render draws the header from, at a cost that does not grow with the desk.
 * @returns {Overview}
 */
export function overview() {
  if (!desk) throw new Error('the desk is not open');
  return desk.overview();
}

/**
 * Applies a change; true if it went through.
 * @param {string} title
 * @param {Change} change
 * @returns {Promise<boolean>}
 */
async function apply(title, change) {
  return (await attempt(title, (d) => { d.apply(change, now()); return true; })) ?? false;
}

/** @param {Role} role */
export function chooseRole(role) {
  return apply('Choosing the role', { type: 'chooseRole', role });
}

export function reset() {
  return apply('Starting an empty desk', { type: 'reset' });
}

/**
 * A change to one registration (register, submit, close, decide, ...); true if it went through.
 * @param {string} title
 * @param {Change} change
 */
export function change(title, change) {
  return apply(title, change);
}

/**
 * Registers a deal (kept as a draft or submitted).
 * @param {string} title
 * @param {Draft} draft
 * @param {boolean} submit
 * @returns {Promise<string | undefined>} the new registration's id
 */
export function register(title, draft, submit) {
  return attempt(title, (d) => d.apply({ type: 'register', draft, submit }, now()) ?? undefined);
}

/**
 * What the form shows while typing. Never raises the page's alert: a draft that
 * cannot be read yet comes back as problems by field.
 * @param {Draft} draft
 * @returns {Preview}
 */
export function preview(draft) {
  if (!desk) return { problems: [], decision: null };
  try {
    return desk.preview(draft, now());
  } catch (error) {
    const failure = toFailure('Checking the registration', error);
    const problems = failure.problems.length
      ? failure.problems.map((p) => ({ path: p.path.replace(/^draft\.?/, '$.'), message: p.message }))
      : [{ path: '$', message: failure.message }];
    return { problems, decision: null };
  }
}

/**
 * The rule-by-rule evaluation of a registration on this desk.
 * @param {string} id
 * @returns {Decision | undefined}
 */
export function explain(id) {
  try {
    return desk?.explain(id, now());
  } catch (error) {
    reporter(toFailure(`Explaining ${id}`, error));
    return undefined;
  }
}

/**
 * The cross-partner conflicts on this desk now, grouped by customer.
 * @returns {import('../pkg/dealreg.js').ConflictGroup[]}
 */
export function conflicts() {
  try {
    return desk?.conflicts(now()) ?? [];
  } catch (error) {
    reporter(toFailure('Finding conflicts', error));
    return [];
  }
}

/**
 * Whether a registration can be extended now.
 * @param {string} id
 * @returns {ExtensionCheck | undefined}
 */
export function extensionCheck(id) {
  try {
    return desk?.extensionCheck(id, now());
  } catch (error) {
    reporter(toFailure(`Checking an extension of ${id}`, error));
    return undefined;
  }
}

/**
 * Saves a programme (vendor): its revision and what changed, or the failure
 * for the editor to show by field.
 * @param {string} text
 * @returns {Promise<{ saved: ProgrammeSaved } | { failure: Failure }>}
 */
export async function setProgramme(text) {
  const outcome = await exclusive('Saving the programme', (d) => d.setProgramme(text, now()));
  if ('failure' in outcome) return outcome;
  changed({ remote: false });
  return { saved: outcome.value };
}

/**
 * A typical 90-day programme to start from.
 * @param {string} name
 * @param {string} vendor
 * @param {string} currency
 * @returns {Programme}
 */
export function programmeTemplate(name, vendor, currency) {
  return coreProgrammeTemplate(name, vendor, currency, now().slice(0, 10));
}

/**
 * A CSV file's columns and rows (a price list, a partner list), or the failure.
 * @param {string} text
 * @param {string} what the file as the failure names it ("price list")
 * @returns {{ table: TextTable } | { failure: Failure }}
 */
export function readTable(text, what) {
  try {
    return { table: coreReadTable(text, what) };
  } catch (error) {
    return { failure: toFailure(`Reading the ${what}`, error) };
  }
}

/**
 * Vendor: invites a partner of the roster; the signed invitation file.
 * @param {string} partnerId
 * @returns {Promise<string | undefined>}
 */
export function invite(partnerId) {
  return attempt('Inviting the partner', (d) => d.invite(partnerId, now()));
}

/**
 * The part of a link after `#` that carries an invitation file.
 * @param {string} text
 */
export function invitationLink(text) {
  return coreInvitationLink(text);
}

/**
 * What an invitation says (from its file or its link), checked; changes nothing.
 * @param {string} name where it came from, for the failure's title
 * @param {string} text the file's text, or a link holding `#join=`
 * @returns {{ welcome: Welcome, text: string } | { failure: Failure }}
 */
export function invitation(name, text) {
  const title = `Reading ${name}`;
  if (!desk) return { failure: { title, message: 'the desk is not open', problems: [] } };
  try {
    const file = text.includes('join=') && !text.trimStart().startsWith('{') ? coreInvitationFromLink(text) : text;
    return { welcome: desk.invitation(file), text: file };
  } catch (error) {
    return { failure: toFailure(title, error) };
  }
}

/**
 * Sets this desk up as the invited partner's, from the invitation file.
 * @param {string} text
 * @returns {Promise<Welcome | undefined>}
 */
export function join(text) {
  return attempt('Joining the programme', (d) => d.join(text, now()));
}

/**
 * A file for another party, written from the desk as stored now: a desk
 * another tab saved is read again first (with the desk to itself meanwhile).
 * @param {string} title
 * @param {(desk: Desk) => string} fn
 * @returns {Promise<string | undefined>}
 */
async function exportFresh(title, fn) {
  const outcome = await exclusive(title, fn);
  if ('failure' in outcome) {
    reporter(outcome.failure);
    return undefined;
  }
  return outcome.value;
}

/** @returns {Promise<string | undefined>} the partner's submission file */
export function exportSubmission() {
  return exportFresh('Exporting the submission file', (d) => d.exportSubmission(now()));
}

/**
 * @param {string} partnerId
 * @returns {Promise<string | undefined>} the vendor's decision file for one partner
 */
export function exportDecisions(partnerId) {
  return exportFresh('Exporting the decision file', (d) => d.exportDecisions(partnerId, now()));
}

/**
 * @param {string} name
 * @param {string} text
 * @returns {Promise<ImportReport | undefined>}
 */
export function importDecisions(name, text) {
  return attempt(`Importing ${name}`, (d) => d.importDecisions(text, now()));
}

/**
 * Every lead's score, grade and flags now, in figures, in the order of the
 * desk's leads: what the inbox filters and sorts by.
 * @returns {import('../pkg/dealreg.js').LeadMarks | undefined}
 */
export function leadMarks() {
  return read('Scoring the leads', (d) => d.leadMarks(now()));
}

/**
 * One lead's score with its contributions, grade and flags now.
 * @param {string} id
 * @returns {LeadInsight | undefined}
 */
export function leadInsight(id) {
  return read(`Scoring ${id}`, (d) => d.leadInsight(id, now()));
}

/**
 * Where routing would send a lead now; changes nothing.
 * @param {string} id
 * @returns {Routing | undefined}
 */
export function routing(id) {
  return read(`Routing ${id}`, (d) => d.routing(id));
}

/**
 * The registration draft a lead converts into.
 * @param {string} id
 * @returns {Draft | undefined}
 */
export function leadDraft(id) {
  return read(`Converting ${id}`, (d) => d.leadDraft(id));
}

/**
 * Records handed over from the worker at a time: the page reads a batch in
 * one task (2,000 registrations took about 40 ms here).
 */
const BATCH = 2000;
/** The storage values a copy of the desk is opened from. */
const COPIED = ['dealreg.workspace', 'dealreg.key', 'dealreg.trust'];

/** @type {Worker | null} */
let worker = null;
let messages = 0;
/** @type {Map<number, (reply: { value?: any, failure?: { message: string, problems: Problem[], kind: string | null } }) => void>} */
const replies = new Map();

/**
 * Sends the worker (www/worker.js) a message; its reply.
 * @param {Record<string, unknown>} message
 * @returns {Promise<{ value?: any, failure?: { message: string, problems: Problem[], kind: string | null } }>}
 */
function ask(message) {
  if (!worker) {
    worker = new Worker(new URL('../worker.js', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (event) => {
      const reply = replies.get(event.data.id);
      replies.delete(event.data.id);
      reply?.(event.data);
    });
    worker.addEventListener('error', (event) => {
      for (const reply of replies.values()) reply({ failure: { message: event.message || 'the worker stopped', problems: [], kind: null } });
      replies.clear();
    });
  }
  const id = ++messages;
  return new Promise((resolve) => {
    replies.set(id, resolve);
    /** @type {Worker} */ (worker).postMessage({ ...message, id });
  });
}

/** Lets the page draw and answer between two pieces of work. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Long work on the desk (reading a backup, a lead file, submission files)
 * done in the page's worker on a copy of the desk, so the page never stops
 * answering for long: the copy makes the same changes with the same code,
 * then hands the desk back in batches, which the page reads a task at a time
 * and adopts with the desk to itself. Had another tab saved meanwhile, the
 * changes are made again on a copy of its desk first. Cancelled, nothing changes.
 */
export class Job {
  /** @param {string} title what is being done, for messages */
  constructor(title) {
    this.title = title;
    /** The revision of the stored desk the copy was made from. */
    this.base = -1;
    /** @type {[string, unknown[]][]} the changes made to the copy, to make again */
    this.changes = [];
    this.cancelled = false;
  }

  /**
   * Opens the copy from the desk as stored now (the latest save of any tab).
   * @returns {Promise<boolean>}
   */
  async open() {
    const items = await withDesk(storedRevision, () => {
      /** @type {Record<string, string>} */
      const values = {};
      for (const key of COPIED) {
        const value = localStorage.getItem(key);
        if (value !== null) values[key] = value;
      }
      return { result: values, saved: null };
    });
    const reply = await ask({ kind: 'open', items });
    if (reply.failure) return this.fail(reply.failure);
    this.base = reply.value;
    return !this.cancelled;
  }

  /**
   * A change (or a look) on the copy: a method of `Desk` and its arguments.
   * @param {'importBackup' | 'previewLeadImport' | 'importLeads' | 'importSubmission' | 'overview'} op
   * @param {...unknown} args
   * @returns {Promise<{ value: any } | { failure: Failure }>}
   */
  async run(op, ...args) {
    const reply = await ask({ kind: 'call', op, args });
    if (this.cancelled) return { failure: { title: this.title, message: 'Cancelled: nothing was changed.', problems: [] } };
    if (reply.failure) return { failure: { title: this.title, ...reply.failure } };
    if (op !== 'previewLeadImport' && op !== 'overview') this.changes.push([op, args]);
    return { value: reply.value };
  }

  /**
   * Makes the copy the desk: handed over in batches, read a batch a task,
   * adopted with the desk to itself. `progress` hears how far it got.
   * @param {(done: number, total: number) => void} [progress]
   * @returns {Promise<boolean>} whether the desk is the copy now
   */
  async adopt(progress = () => {}) {
    for (let attempt = 0; attempt < 3 && !this.cancelled; attempt += 1) {
      const reply = await ask({ kind: 'handOver', batch: BATCH });
      if (reply.failure) return this.fail(reply.failure);
      const parts = /** @type {import('../pkg/dealreg.js').HandOver} */ (reply.value);
      const batches = [...parts.registrations.map((b) => /** @type {const} */ (['registrations', b])), ...parts.leads.map((b) => /** @type {const} */ (['leads', b]))];
      const assembly = new Assembly(parts.head);
      for (const [i, [list, batch]] of batches.entries()) {
        if (this.cancelled) {
          assembly.free();
          return false;
        }
        if (list === 'registrations') assembly.addRegistrations(batch);
        else assembly.addLeads(batch);
        progress(i + 1, batches.length);
        await pause();
      }
      assembly.setDocument(parts.document);
      await pause();
      assembly.setStored(parts.stored ?? '');
      await pause();
      /** @type {'adopted' | 'moved' | 'failed'} */
      const outcome = await withDesk(storedRevision, () => {
        if (Desk.storedRevision() !== this.base) return { result: /** @type {const} */ ('moved'), saved: null };
        try {
          if (!desk || desk.revision !== this.base) desk = Desk.open();
          desk.adopt(assembly); // takes the assembly, even when it throws
          return { result: /** @type {const} */ ('adopted'), saved: desk.revision };
        } catch (error) {
          this.fail(toFailure(this.title, error));
          return { result: /** @type {const} */ ('failed'), saved: null };
        }
      });
      if (outcome === 'adopted') {
        changed({ remote: false });
        warnIfUnsaved();
        return true;
      }
      if (outcome === 'failed') return false;
      assembly.free();
      // Another tab saved since the copy was made: make the changes again on a copy of its desk.
      reopen();
      if (!(await this.open())) return false;
      const again = this.changes.splice(0);
      for (const [op, args] of again) {
        const outcome = await this.run(/** @type {any} */ (op), ...args);
        if ('failure' in outcome) return this.fail(outcome.failure);
      }
    }
    return false;
  }

  /** Stops the work: the worker is ended, and nothing of it reaches the desk. */
  cancel() {
    this.cancelled = true;
    worker?.terminate();
    worker = null;
    for (const reply of replies.values()) reply({ failure: { message: 'Cancelled: nothing was changed.', problems: [], kind: null } });
    replies.clear();
  }

  /**
   * @param {{ message: string, problems: Problem[] }} failure
   * @returns {false}
   */
  fail(failure) {
    if (!this.cancelled) reporter({ title: this.title, message: failure.message, problems: failure.problems });
    return false;
  }
}

/** @returns {Calibration | undefined} weights learned from won and lost leads, and both models' AUC */
export function calibration() {
  return read('Calibrating the scoring model', (d) => d.calibration());
}

/**
 * The desk's registrations or leads as CSV.
 * @param {'registrations' | 'leads'} table
 * @param {boolean} bom a byte-order mark, for spreadsheet programs
 * @returns {string | undefined}
 */
export function exportCsv(table, bom) {
  return read(`Exporting the ${table} as CSV`, (d) => d.exportCsv(table, bom));
}

/**
 * The desk's closed-loop reports as of a time (now unless given).
 * @param {string} [asOf]
 * @returns {Report | undefined}
 */
export function report(asOf) {
  return read('Building the reports', (d) => d.report(asOf ?? now()));
}

/**
 * A programme file's text, read and checked; a failure names each problem.
 * @param {string} text
 * @returns {{ programme: Programme } | { failure: Failure }}
 */
export function readProgramme(text) {
  try {
    return { programme: coreReadProgramme(text) };
  } catch (error) {
    return { failure: toFailure('Reading the programme', error) };
  }
}

/**
 * Registrations made ready for the sandbox as of now, to try one change after
 * another on: this desk's (`'desk'`, not handed over), or those of a backup
 * or data set file's text (read once, in the module); and decided under
 * programme A already (a backup's own, else `a`), so that each run decides
 * only B. The caller frees the sandbox (`free()`) when done with it.
 * @param {'desk' | string} source
 * @param {Programme | undefined} a
 * @returns {{ sandbox: Sandbox, programme: Programme } | { failure: Failure }}
 */
export function prepareSandbox(source, a) {
  const title = 'Preparing the sandbox';
  /** @type {Sandbox | undefined} */
  let prepared;
  try {
    if (source !== 'desk') prepared = Sandbox.fromFile(source, now());
    else if (desk) prepared = desk.sandbox(now());
    else throw new Error('The desk is not open.');
    const programme = prepared.programme ?? a;
    if (!programme) throw new Error('a data set needs a programme: open the sandbox from a desk that holds one');
    prepared.keepSideA(programme);
    return { sandbox: prepared, programme };
  } catch (error) {
    prepared?.free();
    return { failure: toFailure(title, error) };
  }
}

/**
 * The prepared registrations re-run under programmes A and B, the first
 * `explain` differences with their summaries (the others by `explainDifferences`).
 * @param {Sandbox} sandbox
 * @param {Programme} a
 * @param {Programme} b
 * @param {number} [explain]
 * @returns {Simulation | undefined}
 */
export function simulate(sandbox, a, b, explain) {
  try {
    return sandbox.simulate(a, b, explain);
  } catch (error) {
    reporter(toFailure('Running the sandbox', error));
    return undefined;
  }
}

/**
 * The last run's differences `from` to `to`, explained.
 * @param {Sandbox} sandbox
 * @param {number} from
 * @param {number} to
 * @returns {Simulation['differences'] | undefined}
 */
export function explainDifferences(sandbox, from, to) {
  try {
    return sandbox.explain(from, to);
  } catch (error) {
    reporter(toFailure('Explaining the differences', error));
    return undefined;
  }
}

/**
 * Any table as RFC 4180 CSV, formula-safe.
 * @param {string[]} header
 * @param {(string | number | null)[][]} rows
 * @param {boolean} bom
 * @returns {string | undefined}
 */
export function tableCsv(header, rows, bom) {
  try {
    return coreTableCsv(header, rows, bom);
  } catch (error) {
    reporter(toFailure('Writing the CSV', error));
    return undefined;
  }
}

/** @returns {string | undefined} the vendor's programme file for partners, signed */
export function exportProgramme() {
  return read('Exporting the programme file', (d) => d.exportProgramme());
}

/**
 * What adopting a programme file would change, without adopting it.
 * @param {string} name
 * @param {string} text
 * @returns {ProgrammeUpdate | undefined}
 */
export function programmeUpdate(name, text) {
  return read(`Reading ${name}`, (d) => d.programmeUpdate(text));
}

/**
 * `programmeUpdate` for the file the site hosts: a hosted programme older
 * than the one this desk adopted from a file says nothing; anything else
 * wrong with it (edited, forged, another programme) is reported.
 * @param {string} text
 * @returns {ProgrammeUpdate | undefined}
 */
export function hostedProgrammeUpdate(text) {
  if (!desk) return undefined;
  try {
    return desk.programmeUpdate(text);
  } catch (error) {
    const failure = toFailure('Reading the programme published on this site', error);
    if (!(failure.problems.length === 1 && failure.problems[0].path === '$.revision')) reporter(failure);
    return undefined;
  }
}

/**
 * @param {string} name
 * @param {string} text
 * @returns {Promise<ProgrammeUpdate | undefined>}
 */
export function adoptProgramme(name, text) {
  return attempt(`Adopting ${name}`, (d) => d.adoptProgramme(text, now()));
}

/**
 * The programme file the vendor hosts beside the page, if there is one.
 * @returns {Promise<string | null>}
 */
export async function hostedProgramme() {
  try {
    const response = await fetch('programme.json', { cache: 'no-store' });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

/** @returns {string | undefined} the public half of this desk's signing key */
export function publicKey() {
  return desk?.publicKey;
}

/** @returns {string | undefined} why the kept signing key cannot be read, if it cannot */
export function keyProblem() {
  return desk?.keyProblem;
}

/** @returns {TrustedKey | undefined} the vendor key this browser trusts (partner desks) */
export function trustedVendorKey() {
  return read('Reading the trusted vendor key', (d) => d.trustedVendorKey);
}

/**
 * The key a programme file is signed with, and the key trusted now; changes nothing.
 * @param {string} name
 * @param {string} text
 * @returns {ProgrammeSigner | undefined}
 */
export function programmeSigner(name, text) {
  return read(`Reading ${name}`, (d) => d.programmeSigner(text));
}

/**
 * Trusts the key a programme file is signed with, in place of the one trusted now.
 * @param {string} name
 * @param {string} text
 * @returns {Promise<ProgrammeSigner | undefined>}
 */
export function trustKeyOf(name, text) {
  return attempt(`Trusting the vendor key of ${name}`, (d) => d.trustKeyOf(text, now()));
}

/**
 * Makes this desk's signing key from the browser's cryptographic randomness.
 * @returns {Promise<string | undefined>} the public key
 */
export async function createKey() {
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const key = await attempt('Making the signing key', (d) => d.createKey(seed, now()));
  seed.fill(0);
  return key;
}

/**
 * The key file, its secret key locked with the passphrase.
 * @param {string} passphrase
 * @returns {string | undefined}
 */
export function exportKey(passphrase) {
  return read('Exporting the key file', (d) => d.exportKey(passphrase, now()));
}

/**
 * Whether a key file is locked with a passphrase; undefined (reported) if it is no key file.
 * @param {string} name
 * @param {string} text
 * @returns {boolean | undefined}
 */
export function keyFileIsLocked(name, text) {
  try {
    return coreKeyFileIsLocked(text);
  } catch (error) {
    reporter(toFailure(`Reading ${name}`, error));
    return undefined;
  }
}

/**
 * @param {string} name
 * @param {string} text
 * @param {string | undefined} passphrase for a locked key file
 * @returns {Promise<string | undefined>} the public key
 */
export function importKey(name, text, passphrase) {
  return attempt(`Importing ${name}`, (d) => d.importKey(text, passphrase, now()));
}

/**
 * Fetches the demo programme and data set served beside the page and loads them.
 * @returns {Promise<Summary | undefined>}
 */
export async function loadDemo() {
  const texts = await demoFiles();
  return texts && attempt('Loading the demo data', (d) => d.loadDataset(texts[0], texts[1], now()));
}

/**
 * The demo's programme file and data set, as text, fetched from beside the page.
 * @returns {Promise<[string, string] | undefined>}
 */
export async function demoFiles() {
  try {
    const [programme, dataset] = await Promise.all(
      ['demo/programme.json', 'demo/dataset.json'].map(async (path) => {
        const response = await fetch(path);
        if (!response.ok) throw new Error(`${path}: the server answered ${response.status}`);
        return response.text();
      }),
    );
    return [programme, dataset];
  } catch (error) {
    reporter(toFailure('Fetching the demo data', error));
    return undefined;
  }
}

/** @returns {string | undefined} the whole desk as a backup file */
export function exportBackup() {
  return read('Exporting a backup', (d) => d.exportBackup());
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

/**
 * When the copy kept from before the last save was saved (`''` if unknown),
 * or `undefined` when none that reads is kept.
 * @returns {string | undefined}
 */
export function previousCopy() {
  try {
    const at = Desk.previousCopy();
    return at === undefined ? undefined : at ?? '';
  } catch {
    return undefined;
  }
}

/**
 * Opens the desk `open` gives in place of the kept one (which the core sets
 * aside first), with the desk to itself; true if it went through.
 * @param {string} title
 * @param {() => Desk} open
 * @returns {Promise<boolean>}
 */
async function replaceDesk(title, open) {
  const done = await withDesk(storedRevision, () => {
    try {
      desk = open();
      return { result: true, saved: desk.revision };
    } catch (error) {
      reporter(toFailure(title, error));
      return { result: false, saved: null };
    }
  });
  if (done) changed({ remote: false });
  return done;
}

/** Sets a damaged kept desk aside and opens the copy from before the last save. */
export function restorePrevious() {
  return replaceDesk('Restoring the copy from before the last save', () => Desk.restorePrevious(now()));
}

/** Sets an unreadable kept desk aside and opens an empty one. */
export function startOver() {
  return replaceDesk('Starting an empty desk', () => Desk.startOver(now()));
}

export { version };
