// Element builders for the page. Every child string becomes a text node and every attribute a
// plain attribute value: nothing from files or the log is ever parsed as HTML.
export const SVG_NS = 'http://www.w3.org/2000/svg';

type AttrValue = string | number | boolean | null | undefined;
/** Listeners, added with addEventListener (no inline handlers: the CSP forbids them). */
type Listeners = { [K in keyof HTMLElementEventMap]?: (e: HTMLElementEventMap[K]) => void };
export interface Attrs {
  on?: Listeners;
  [name: string]: AttrValue | Listeners;
}
export type Child = Node | string | number | null | undefined | false | readonly Child[];

function append(node: Element, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

function setAttrs(node: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'on' && typeof v === 'object' && v !== null) {
      for (const [event, listener] of Object.entries(v))
        if (listener) node.addEventListener(event, listener as EventListener);
      continue;
    }
    if (v === undefined || v === null || v === false || typeof v === 'object') continue;
    if (k === 'class') node.setAttribute('class', String(v));
    else node.setAttribute(k, v === true ? '' : String(v));
  }
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** A table body of one row per day, newest first: the day as the row header, then `cells`. */
export function dayRows<T extends { day: string }>(
  days: readonly T[],
  cells: (d: T) => Child[],
): HTMLTableSectionElement {
  return el(
    'tbody',
    {},
    [...days].reverse().map((d) => el('tr', {}, el('th', { scope: 'row' }, d.day), ...cells(d))),
  );
}
