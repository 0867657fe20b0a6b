// A list that keeps only the rows near the visible part of its scroll box in the DOM, so a
// conversation of 10,000 messages costs as much to show as one of 30. Rows have different heights:
// each starts with an estimate (row.h) and gets its measured height once it has been on screen.

const OVERSCAN = 600; // px rendered above and below the visible part

export class VirtualList {
  constructor(viewport, content, render) {
    this.viewport = viewport;
    this.content = content;
    this.render = render; // row -> element
    this.rows = [];
    this.offsets = [0];
    this.dirty = true;
    this.shown = new Map(); // row -> element
    this.scheduled = false;
    viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => { this.remeasure = true; this.schedule(); }).observe(viewport);
  }

  atBottom() {
    const v = this.viewport;
    return v.scrollHeight - v.scrollTop - v.clientHeight < 8;
  }

  // New rows (a conversation shown, messages appended or prepended). stick: keep to the bottom.
  // Many calls in one frame (a burst of messages) cost one layout and one paint.
  setRows(rows, stick) {
    if (!this.pendingSet) {
      const bottom = stick || this.atBottom();
      this.pendingSet = { stick: bottom, anchor: bottom ? null : this.anchor() };
    } else if (stick) {
      this.pendingSet.stick = true;
    }
    this.rows = rows;
    this.dirty = true;
    this.schedule();
  }

  // A row changed (delivery tick): redraw it if shown.
  update(row) {
    const el = this.shown.get(row);
    if (!el) return;
    const fresh = this.render(row);
    this.place(fresh, row);
    el.replaceWith(fresh);
    this.shown.set(row, fresh);
  }

  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      const set = this.pendingSet;
      this.pendingSet = null;
      if (set) {
        this.layout();
        if (set.stick) this.viewport.scrollTop = this.viewport.scrollHeight;
        else if (set.anchor) this.restore(set.anchor);
      }
      this.paint(set ? set.stick : this.atBottom());
    });
  }

  layout() {
    if (!this.dirty) return;
    const n = this.rows.length;
    const offsets = new Array(n + 1);
    offsets[0] = 0;
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + this.rows[i].h;
    this.offsets = offsets;
    this.content.style.height = offsets[n] + 'px';
    this.dirty = false;
  }

  // First row whose bottom is below y.
  indexAt(y) {
    let lo = 0, hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid + 1] <= y) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  anchor() {
    if (this.rows.length === 0) return null;
    const i = this.indexAt(this.viewport.scrollTop);
    const row = this.rows[i];
    return row ? { row, delta: this.viewport.scrollTop - this.offsets[i] } : null;
  }

  restore(anchor) {
    const i = this.rows.indexOf(anchor.row);
    if (i >= 0) this.viewport.scrollTop = this.offsets[i] + anchor.delta;
  }

  place(el, row) {
    el.style.top = this.offsets[this.rows.indexOf(row)] + 'px';
  }

  paint(stick) {
    for (let pass = 0; pass < 3; pass++) {
      this.layout();
      const top = this.viewport.scrollTop - OVERSCAN;
      const bottom = this.viewport.scrollTop + this.viewport.clientHeight + OVERSCAN;
      const first = this.indexAt(Math.max(0, top));
      const keep = [];
      for (let i = first; i < this.rows.length && this.offsets[i] < bottom; i++) keep.push(i);
      const keepRows = new Set(keep.map((i) => this.rows[i]));
      for (const [row, el] of this.shown) {
        if (!keepRows.has(row) || this.remeasure) { el.remove(); this.shown.delete(row); }
      }
      this.remeasure = false;
      // In the DOM in the rows' order too (screen readers, selection, find in page).
      let prev = null;
      for (const i of keep) {
        const row = this.rows[i];
        let el = this.shown.get(row);
        if (!el) {
          el = this.render(row);
          this.shown.set(row, el);
        }
        const at = prev ? prev.nextSibling : this.content.firstChild;
        if (at !== el) this.content.insertBefore(el, at);
        el.style.top = this.offsets[i] + 'px';
        prev = el;
      }
      // Measure what is shown; fix estimates, keeping the first visible row where it was.
      const anchor = stick ? null : this.anchor();
      let changed = false;
      for (const i of keep) {
        const row = this.rows[i];
        const h = this.shown.get(row).offsetHeight;
        if (h > 0 && h !== row.h) { row.h = h; changed = true; }
      }
      if (!changed) break;
      this.dirty = true;
      this.layout();
      if (stick) this.viewport.scrollTop = this.viewport.scrollHeight;
      else if (anchor) this.restore(anchor);
    }
  }
}
