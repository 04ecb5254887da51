// @ts-check
/**
 * Building DOM nodes. Strings always become text nodes, never HTML: names in
 * files and storage are data from other people and are shown as typed.
 */

/**
 * @typedef {string | number | Node | null | undefined | false} Child
 * @typedef {Record<string, string | number | boolean | EventListener | null | undefined>} Props
 */

/**
 * `h('button', { class: 'primary', onclick: go }, 'Save')`. Props starting with
 * "on" are listeners; `false`/`null` props are left out; the rest are attributes.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props} [props]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

/**
 * @param {Node} parent
 * @param {(Child | Child[])[]} children
 */
function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces the children of `parent`.
 * @param {Element} parent
 * @param {...(Child | Child[])} children
 */
export function mount(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * `items` drawn `size` at a time: the first page, then a button that draws the
 * next. For lists that run to thousands on a big desk (the review queue, the
 * sandbox's differences), where drawing them all at once took seconds.
 * @template T
 * @param {T[]} items
 * @param {(item: T) => Node} draw
 * @param {number} size
 * @param {string} what the items, plural, for the button: "registrations"
 * @param {(box: HTMLElement) => Node} [wrap] what holds the box (a table its tbody)
 * @param {HTMLElement} [box] what the items are drawn into
 */
export function paged(items, draw, size, what, wrap = (b) => b, box = h('div', { class: 'paged' })) {
  // Only the next page is drawn: the ones above stay as they are.
  const fill = () => {
    box.append(...items.slice(box.childElementCount, pager.limit).map(draw));
    pager.update(box.childElementCount, items.length);
  };
  const pager = tablePager(size, fill, what);
  fill();
  return h('div', {}, wrap(box), pager.button);
}

/**
 * The limit of a filtered table drawn a page at a time, and its button: the
 * table draws `rows.slice(0, pager.limit)`, then calls `pager.update(shown,
 * matching)`; the button raises the limit and calls `fill` again; a new
 * filter calls `pager.reset()` first.
 * @param {number} size
 * @param {() => void} fill
 * @param {string} [what] the rows, plural, for the button
 */
export function tablePager(size, fill, what = '') {
  let limit = size;
  const button = h('button', { type: 'button', class: 'more', onclick: () => { limit += size; fill(); } });
  return {
    button,
    get limit() { return limit; },
    reset() { limit = size; },
    /** @param {number} shown @param {number} matching */
    update(shown, matching) {
      button.hidden = shown >= matching;
      button.textContent = `Show ${Math.min(size, matching - shown)} more${what ? ` ${what}` : ''} (${shown} of ${matching} shown)`;
    },
  };
}

/**
 * Saves `text` as a file through the browser's download.
 * @param {string} name
 * @param {string} text
 * @param {string} [type]
 */
export function download(name, text, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
