// Building DOM without HTML strings. Every value from data goes in as a text node or an
// attribute value, so a name like "<script>alert(1)</script>" is shown as those characters.
// Nothing in the UI may use innerHTML, insertAdjacentHTML or document.write.

const SVG_NS = 'http://www.w3.org/2000/svg';

// h(tag, props, ...children) -> Element.
// props: class (string or array, falsy entries dropped), text (textContent), on<event>
// (listener), value/checked/selected/disabled (DOM properties), anything else an attribute
// (true -> empty attribute; null/undefined/false -> left out).
// children: Nodes, strings (text nodes), arrays of either, null/undefined/false skipped.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  let value;
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'value') value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled') el[k] = Boolean(v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  // A <select>'s value can only be set once its options exist.
  if (value !== undefined) el.value = String(value);
  return el;
}

// Append children (see h) to el; returns el.
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// An SVG element with attributes (used for the pagination arrows).
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

// Remove every child of el.
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// Make an id fragment from a field path: "addresses[0].postcode" -> "addresses-0-postcode".
export function slug(s) {
  return String(s).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}

// Replace el's children with children (see h: null/false entries are skipped, where
// Element.replaceChildren would turn them into the text "null").
export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}
