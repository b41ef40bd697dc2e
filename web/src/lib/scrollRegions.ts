/**
 * Tables that scroll (`.table-wrap` wider or taller than its box, e.g. on a phone) must be
 * reachable with the keyboard (WCAG 2.1.1; axe's scrollable-region-focusable): such a wrapper
 * gets `tabindex="0"`, and a name from its table's `aria-label`. Watches the DOM, so every
 * screen's tables are covered without each one doing it.
 */
export function focusableScrollRegions(root: HTMLElement = document.body): () => void {
  const mark = () => {
    for (const el of root.querySelectorAll<HTMLElement>(".table-wrap")) {
      const scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        if (!el.hasAttribute("role")) el.setAttribute("role", "region");
        if (!el.hasAttribute("aria-label")) el.setAttribute("aria-label", `${el.querySelector("table")?.getAttribute("aria-label") ?? "Table"} (scrolls)`);
      }
    }
  };
  let queued = false;
  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      mark();
    });
  };
  const mo = new MutationObserver(schedule);
  mo.observe(root, { childList: true, subtree: true });
  window.addEventListener("resize", schedule);
  schedule();
  return () => {
    mo.disconnect();
    window.removeEventListener("resize", schedule);
  };
}
