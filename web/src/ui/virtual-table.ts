/**
 * A table that draws only the rows in view (plus a margin), so 100k+ hits scroll as smoothly as ten: spacer rows
 * above and below stand for the rest. Rows have one fixed height (CSS: `.vt-row`). Keyboard: the scroll area is
 * focusable; arrows, Page Up/Down, Home/End move the active row (announced through aria-activedescendant), Enter opens it.
 */

/** Row height in CSS pixels (styles give `.vt-row` this height). */
export const ROW_HEIGHT = 28;
/** Rows drawn above and below the visible ones. */
const OVERSCAN = 12;

export class VirtualTable {
  private count = 0;
  private active = -1;
  private frame = 0;
  private readonly body: HTMLTableSectionElement;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly table: HTMLTableElement,
    private readonly cells: (index: number) => string,
    private readonly onOpen: (index: number) => void,
  ) {
    this.body = table.tBodies[0] ?? table.createTBody();
    scroller.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(scroller);
    scroller.addEventListener('keydown', (e) => this.key(e));
    this.body.addEventListener('click', (e) => {
      const target = e.target as HTMLElement;
      if (target.closest('a')) return;
      const row = target.closest('tr[data-index]') as HTMLElement | null;
      if (!row) return;
      this.setActive(Number(row.dataset.index));
      this.onOpen(this.active);
    });
  }

  /** Show `count` rows (the cells callback gives each row's markup); keeps the scroll position when it can. */
  setCount(count: number): void {
    this.count = count;
    if (this.active >= count) this.active = count - 1;
    this.table.setAttribute('aria-rowcount', String(count + 1));
    this.render();
  }

  get activeIndex(): number {
    return this.active;
  }

  setActive(index: number): void {
    if (this.count === 0) return;
    this.active = Math.max(0, Math.min(this.count - 1, index));
    const top = this.active * ROW_HEIGHT;
    const head = this.headHeight();
    const view = this.scroller.clientHeight - head;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > this.scroller.scrollTop + view) this.scroller.scrollTop = top + ROW_HEIGHT - view;
    this.render();
  }

  private headHeight(): number {
    return this.table.tHead?.offsetHeight ?? 0;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const view = Math.max(ROW_HEIGHT, this.scroller.clientHeight);
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.count, Math.ceil((this.scroller.scrollTop + view) / ROW_HEIGHT) + OVERSCAN);
    let html = first > 0 ? `<tr class="vt-spacer" aria-hidden="true"><td colspan="99" style="height:${first * ROW_HEIGHT}px"></td></tr>` : '';
    for (let i = first; i < last; i++) {
      const active = i === this.active;
      html += `<tr class="vt-row${active ? ' active' : ''}" id="vt-row-${i}" data-index="${i}" aria-rowindex="${i + 2}"${active ? ' aria-selected="true"' : ''}>${this.cells(i)}</tr>`;
    }
    if (last < this.count) html += `<tr class="vt-spacer" aria-hidden="true"><td colspan="99" style="height:${(this.count - last) * ROW_HEIGHT}px"></td></tr>`;
    this.body.innerHTML = html;
    if (this.active >= 0) this.scroller.setAttribute('aria-activedescendant', `vt-row-${this.active}`);
    else this.scroller.removeAttribute('aria-activedescendant');
  }

  private key(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor((this.scroller.clientHeight - this.headHeight()) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) this.setActive((this.active < 0 ? -1 : this.active) + moves[e.key]);
    else if (e.key === 'Home') this.setActive(0);
    else if (e.key === 'End') this.setActive(this.count - 1);
    else if (e.key === 'Enter' && this.active >= 0) this.onOpen(this.active);
    else return;
    e.preventDefault();
  }
}
