// @ts-check
/// <reference lib="webworker" />
/**
 * The service worker: keeps a copy of the page's files so the desk opens and
 * works offline (its data is in localStorage already).
 *
 * Strategy: network first, the cache as the fallback. Online, every file comes
 * from the server (revalidated, so an unchanged file costs a 304), and the copy
 * in the cache is replaced by it; only when the server cannot be reached does
 * the cached copy answer. Chosen over cache-first because a new release must
 * reach users on their next visit without a version to bump: the wasm module
 * and its glue (pkg/dealreg.js) must come from the same build, and cache-first
 * with a background update serves the old build once more, and a mix of two
 * builds if the update was cut off half-way. The page is small and served from
 * the same host, so waiting for the network online costs little.
 *
 * When the server's wasm module differs from the cached one (a new build), the
 * other files are fetched again too, so the offline copy is one build whole
 * (the demo data and schemas are not fetched on every visit).
 *
 * CACHE changes when this list or the strategy changes: installing the new
 * worker fills a new cache, and activating it deletes the old ones. Builds of
 * the same list need no new name (see above). Paths are relative to this file,
 * so the page works from any sub-path.
 */
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

const CACHE = 'dealreg-offline-2';

/** Every file of the page (tests/e2e/offline.test.mjs checks it against www/). */
const FILES = [
  './',
  'index.html',
  'style.css',
  'NOTICES.txt',
  'js/account-view.js',
  'js/app.js',
  'js/conflicts.js',
  'js/decision-view.js',
  'js/desk.js',
  'js/dom.js',
  'js/files-view.js',
  'js/format.js',
  'js/leads-view.js',
  'js/messages.js',
  'js/programme-editor.js',
  'js/programme-lists.js',
  'js/register.js',
  'js/reports-view.js',
  'js/review.js',
  'js/sandbox-view.js',
  'js/tabs.js',
  'js/views.js',
  'worker.js',
  'pkg/dealreg.js',
  'pkg/dealreg_bg.wasm',
  'demo/programme.json',
  'demo/dataset.json',
  'demo/campaign-leads.csv',
  'schemas/backup.schema.json',
  'schemas/dataset.schema.json',
  'schemas/decision.schema.json',
  'schemas/invitation.schema.json',
  'schemas/key.schema.json',
  'schemas/programme.schema.json',
  'schemas/submission.schema.json',
];

const WASM = new URL('pkg/dealreg_bg.wasm', sw.location.href).href;
const KEPT = new Set(FILES.map((f) => new URL(f, sw.location.href).href));

/** Fetches every file again, past the HTTP cache, into the cache. */
async function fillCache() {
  const cache = await caches.open(CACHE);
  await cache.addAll(FILES.map((f) => new Request(f, { cache: 'no-cache' })));
}

/** @param {Response | undefined} response */
const identity = (response) => response
  ? ['etag', 'last-modified', 'content-length'].map((h) => response.headers.get(h)).join('|')
  : '';

sw.addEventListener('install', (event) => {
  // All or nothing: a file missing on the server fails the install, and the old worker stays.
  event.waitUntil(fillCache().then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE && name.startsWith('dealreg-')) await caches.delete(name);
    }
  })());
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  url.hash = '';
  url.search = '';
  // A navigation to the page itself (any hash) is index.html; other requests
  // (the hosted programme.json, anything not listed) go to the network untouched.
  const key = request.mode === 'navigate' && url.href === new URL('./', sw.location.href).href
    ? url.href
    : KEPT.has(url.href) ? url.href : null;
  if (key === null) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request, { cache: 'no-cache' });
      if (response.ok) {
        const copy = response.clone();
        event.waitUntil((async () => {
          const newBuild = key === WASM && identity(await cache.match(key)) !== identity(copy);
          await cache.put(key, copy);
          if (newBuild) await fillCache().catch(() => { /* next visit tries again */ });
        })());
      }
      return response;
    } catch (error) {
      const cached = await cache.match(key);
      if (cached) return cached;
      throw error;
    }
  })());
});
