// The week grid of the profile page (accounts/_week_grid.html): paint half-hours by mouse
// (click or drag), touch (tap) or keyboard. The text field beside each grid stays the truth:
// every change here rewrites it in canonical form, and typing there redraws the grid through
// htmx (the server's parser reads the text, so there is only one). Without this script the
// grids stay hidden and the text fields alone work.
(() => {
  "use strict";
  const source = document.getElementById("weekgrid-text");
  if (!source) return;
  const text = JSON.parse(source.textContent);
  const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const STEP = 15; // minutes a text window moves in
  const CELL = 30; // minutes a cell shows
  const QUARTERS = CELL / STEP;
  const FULL = (1 << QUARTERS) - 1;
  const DAY = 24 * 60;
  const WEEK = 7 * DAY;
  const nightShown = {}; // per field, kept across redraws
  let drag = null; // {grid, anchor, paint, before: Map(cell -> mask)} while the mouse paints
  let pointerDone = false; // the click after a mouse press was handled by the press

  const fill = (message, values) => message.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  const pad = (n) => String(n).padStart(2, "0");
  const clock = (minutes) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  const format = (windows) => windows.map(([d, s, e]) => `${DAYS[d]} ${clock(s)}-${clock(e)}`).join("; ");
  const maskOf = (cell) => Number(cell.dataset.mask);
  const cellsOf = (grid) => [...grid.querySelectorAll("td[data-day]")];

  // [day, start, end] windows from the cells' quarter masks (forms.windows_from_masks).
  function windowsOf(grid) {
    const free = DAYS.map(() => new Array(DAY / STEP).fill(false));
    cellsOf(grid).forEach((cell) => {
      const first = Number(cell.dataset.start) / STEP;
      for (let q = 0; q < QUARTERS; q += 1) {
        if ((maskOf(cell) >> q) & 1) free[Number(cell.dataset.day)][first + q] = true;
      }
    });
    const windows = [];
    free.forEach((quarters, day) => {
      let start = null;
      [...quarters, false].forEach((isFree, q) => {
        if (isFree && start === null) start = q;
        if (!isFree && start !== null) {
          windows.push([day, start * STEP, q * STEP]);
          start = null;
        }
      });
    });
    return windows;
  }

  // Windows moved round the week, split at midnight, merged (forms.shift_windows).
  function shift(windows, minutes) {
    const pieces = [];
    windows.forEach(([day, start, end]) => {
      let at = (((day * DAY + start + minutes) % WEEK) + WEEK) % WEEK;
      let left = end - start;
      while (left > 0) {
        const minute = at % DAY;
        const take = Math.min(left, DAY - minute);
        pieces.push([Math.floor(at / DAY), minute, minute + take]);
        at = (at + take) % WEEK;
        left -= take;
      }
    });
    pieces.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const merged = [];
    pieces.forEach((piece) => {
      const last = merged[merged.length - 1];
      if (last && last[0] === piece[0] && piece[1] <= last[2]) last[2] = Math.max(last[2], piece[2]);
      else merged.push([...piece]);
    });
    return merged;
  }

  function labelOf(cell) {
    const start = Number(cell.dataset.start);
    const mask = maskOf(cell);
    let state = mask === FULL ? text.available : text.unavailable;
    if (mask && mask !== FULL) {
      const quarters = [...Array(QUARTERS).keys()].filter((q) => (mask >> q) & 1);
      state = fill(text.partly, {
        start: clock(start + quarters[0] * STEP),
        end: clock(start + (quarters[quarters.length - 1] + 1) * STEP),
      });
    }
    const day = text.days[Number(cell.dataset.day)];
    return fill(text.cell, { day, start: clock(start), end: clock(start + CELL), state });
  }

  function setMask(cell, mask) {
    if (maskOf(cell) === mask) return;
    cell.dataset.mask = String(mask);
    cell.className = mask === FULL ? "free" : mask ? "part" : "";
    cell.setAttribute("aria-selected", String(mask === FULL));
    cell.setAttribute("aria-label", labelOf(cell));
  }

  function summarise(grid, windows) {
    const minutes = windows.reduce((sum, [, start, end]) => sum + end - start, 0);
    const n = Number((minutes / 60).toFixed(2));
    grid.querySelector("[data-hours]").textContent = minutes
      ? fill(n === 1 ? text.hour : text.hours, { n })
      : text.none;
    const offset = Number(grid.dataset.offset);
    grid.querySelector("[data-utc]").textContent =
      offset && windows.length ? fill(text.utc, { windows: format(shift(windows, -offset)) }) : "";
  }

  // The grid changed: rewrite the text field (no input event, so htmx does not redraw).
  function write(grid) {
    const windows = windowsOf(grid);
    const input = document.getElementById(grid.dataset.field);
    // A redraw still on its way from earlier typing would bring back the old cells.
    if (window.htmx) window.htmx.trigger(input, "htmx:abort");
    input.value = format(windows);
    grid.querySelector("[data-default-note]")?.remove();
    if (!grid.querySelector("td.part")) grid.querySelector("[data-quarter-note]")?.remove();
    summarise(grid, windows);
  }

  const rowsOf = (grid) => [...grid.querySelector("tbody").rows].filter((row) => !row.hidden);

  function focusCell(grid, cell) {
    grid.querySelectorAll('td[tabindex="0"]').forEach((other) => other.setAttribute("tabindex", "-1"));
    cell.setAttribute("tabindex", "0");
    cell.focus({ preventScroll: false });
  }

  function setNight(grid, shown) {
    nightShown[grid.dataset.field] = shown;
    grid.querySelector("[data-night]").setAttribute("aria-pressed", String(shown));
    grid.querySelectorAll("tr.night").forEach((row) => { row.hidden = !shown; });
    const current = grid.querySelector('td[tabindex="0"]');
    if (current && current.parentElement.hidden) {
      const day = Number(current.dataset.day);
      current.setAttribute("tabindex", "-1");
      rowsOf(grid)[0].cells[day + 1].setAttribute("tabindex", "0");
    }
  }

  // Cells inside the rectangle from the anchor to ``cell`` take the paint; the rest go back.
  function paintTo(cell) {
    const { grid, anchor, paint, before } = drag;
    const days = [Number(anchor.dataset.day), Number(cell.dataset.day)].sort((a, b) => a - b);
    const starts = [Number(anchor.dataset.start), Number(cell.dataset.start)].sort((a, b) => a - b);
    cellsOf(grid).forEach((other) => {
      const day = Number(other.dataset.day);
      const start = Number(other.dataset.start);
      const inside = days[0] <= day && day <= days[1] && starts[0] <= start && start <= starts[1];
      setMask(other, inside ? (paint ? FULL : 0) : before.get(other));
    });
    drag.last = cell;
  }

  function onKey(grid, event) {
    const cell = event.target.closest("td[data-day]");
    if (!cell) return;
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      setMask(cell, maskOf(cell) === FULL ? 0 : FULL);
      write(grid);
      return;
    }
    const rows = rowsOf(grid);
    let row = rows.indexOf(cell.parentElement);
    let day = Number(cell.dataset.day);
    const moves = { ArrowUp: -1, ArrowDown: 1, PageUp: -4, PageDown: 4 };
    if (event.key in moves) row = Math.min(rows.length - 1, Math.max(0, row + moves[event.key]));
    else if (event.key === "ArrowLeft") day = Math.max(0, day - 1);
    else if (event.key === "ArrowRight") day = Math.min(6, day + 1);
    else if (event.key === "Home") day = 0;
    else if (event.key === "End") day = 6;
    else return;
    event.preventDefault();
    const next = rows[row].cells[day + 1];
    if (event.shiftKey && next !== cell) {
      setMask(next, maskOf(cell) === FULL ? FULL : 0);
      write(grid);
    }
    focusCell(grid, next);
  }

  function init(grid) {
    if (grid.dataset.ready) return;
    grid.dataset.ready = "1";
    grid.hidden = false;
    const table = grid.querySelector("table");
    if (!table) return; // the text does not parse: the grid says why
    if (nightShown[grid.dataset.field] !== undefined) setNight(grid, nightShown[grid.dataset.field]);
    const rows = rowsOf(grid);
    const first = grid.querySelector("tbody tr:not([hidden]) td.free, tbody tr:not([hidden]) td.part");
    const nine = rows.find((row) => row.cells[1].dataset.start === "540");
    (first || (nine || rows[0]).cells[1]).setAttribute("tabindex", "0");

    grid.querySelector("[data-night]").addEventListener("click", (event) => {
      setNight(grid, event.currentTarget.getAttribute("aria-pressed") !== "true");
    });
    table.addEventListener("keydown", (event) => onKey(grid, event));
    table.addEventListener("pointerdown", (event) => {
      const cell = event.target.closest("td[data-day]");
      // A touch may be the start of a scroll: a tap arrives as a click instead.
      if (!cell || event.button !== 0 || event.pointerType === "touch") return;
      event.preventDefault();
      pointerDone = true;
      const before = new Map(cellsOf(grid).map((other) => [other, maskOf(other)]));
      drag = { grid, anchor: cell, paint: maskOf(cell) !== FULL, before };
      paintTo(cell);
      focusCell(grid, cell);
    });
    // Taps, and the clicks screen readers send, toggle one cell.
    table.addEventListener("click", (event) => {
      const cell = event.target.closest("td[data-day]");
      if (pointerDone || !cell) return;
      setMask(cell, maskOf(cell) === FULL ? 0 : FULL);
      write(grid);
      focusCell(grid, cell);
    });
  }

  document.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const under = document.elementFromPoint(event.clientX, event.clientY);
    const cell = under && under.closest("td[data-day]");
    if (cell && cell !== drag.last && drag.grid.contains(cell)) paintTo(cell);
  });
  const stop = () => {
    if (!drag) return;
    write(drag.grid);
    drag = null;
    setTimeout(() => { pointerDone = false; }, 0); // after the click this release makes
  };
  document.addEventListener("pointerup", stop);
  document.addEventListener("pointercancel", stop);

  // A new time zone moves what the UTC line says: redraw both grids from their text.
  function redrawAll() {
    document.querySelectorAll("[data-week-grid]").forEach((grid) => {
      const input = document.getElementById(grid.dataset.field);
      const field = input.name;
      const zone = document.getElementById("id_time_zone");
      if (!window.htmx || !zone) return;
      window.htmx.ajax("GET", input.getAttribute("hx-get"), {
        target: `#${grid.id}`,
        swap: "outerHTML",
        values: { grid: field, [field]: input.value, time_zone: zone.value },
      });
    });
  }

  const start = () => {
    document.querySelectorAll("[data-week-grid]").forEach(init);
    document.getElementById("id_time_zone")?.addEventListener("change", redrawAll);
  };
  document.addEventListener("htmx:load", (event) => {
    const element = event.detail && event.detail.elt;
    if (element && element.matches && element.matches("[data-week-grid]")) init(element);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
