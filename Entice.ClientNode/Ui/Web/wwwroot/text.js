// Text helpers. visible() is the page's PeerText.Visible (Entice.ClientNode/Ui/Views/PeerText.cs):
// C0/C1 controls become Control Pictures or <U+XXXX>, bidi and other invisible format characters
// become <U+XXXX>, so a peer cannot hide or reorder text around its own. The result still goes into
// the page only as textContent.

const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu;

export function visible(text, keepNewlines = false) {
  if (typeof text !== 'string') return '';
  return text.replace(HIDDEN, (c) => {
    const v = c.codePointAt(0);
    if (v === 0x0a && keepNewlines) return '\n';
    if (v === 0x200d) return c; // ZWJ: emoji sequences need it
    if (v < 0x20) return String.fromCharCode(0x2400 + v);
    if (v === 0x7f) return '\u2421';
    return '<U+' + v.toString(16).toUpperCase().padStart(4, '0') + '>';
  });
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// name as a whole word (as Entice.ClientNode/Ui/Presentation/Mentions does), any case.
export function mentions(text, name) {
  if (!name) return false;
  return new RegExp(`(^|[^\\p{L}\\p{N}_])@?${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}

const pad = (n) => String(n).padStart(2, '0');

export function timeLabel(d) {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function dayLabel(d) {
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (d.toDateString() === today.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return d.toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
}

// "12345 67890 ..." (60 digits) as twelve groups of five.
export function groupDigits(number) {
  const digits = String(number || '').replace(/\D/g, '');
  const groups = [];
  for (let i = 0; i < digits.length; i += 5) groups.push(digits.slice(i, i + 5));
  return groups;
}
