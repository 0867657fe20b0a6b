// The safety number's QR code comes from the client node as SVG text (never from a peer). It is parsed
// as XML and kept only if it holds nothing but shapes: no script, no event attribute, no link, no
// foreign content; otherwise it is not shown.

const ALLOWED = new Set(['svg', 'g', 'path', 'rect', 'title', 'desc']);
const ATTRIBUTES = new Set(['xmlns', 'viewBox', 'width', 'height', 'version', 'x', 'y', 'd', 'fill', 'stroke',
  'stroke-width', 'shape-rendering', 'transform', 'class', 'role', 'aria-label', 'preserveAspectRatio']);

export function svgFromHost(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
  for (const node of [root, ...root.querySelectorAll('*')]) {
    if (!ALLOWED.has(node.localName)) return null;
    for (const a of [...node.attributes]) {
      if (!ATTRIBUTES.has(a.name) && !a.name.startsWith('xmlns')) node.removeAttribute(a.name);
    }
  }
  root.setAttribute('role', 'img');
  root.setAttribute('aria-label', 'Safety number as a QR code');
  root.classList.add('qr');
  return document.importNode(root, true);
}
