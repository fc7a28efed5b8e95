// The ecosystem map on a live board: drag a party to another ring or dimension, or move
// it with the arrow keys. Without this file the menus in the list of parties do the same.
// The map's panel includes this script (and its stylesheet), so live redraws insert it
// again: run once. Only chips with a move URL (people who may write) can be moved.
(() => {
  if (window.ecosystemMap) return;
  window.ecosystemMap = true;
  const board = document.querySelector("[data-board]");
  if (!board) return;

  // Live redraws replace the panel and the stylesheet link inside it: keep one in the head.
  const css = document.querySelector("link[data-ecosystem-css]");
  if (css) document.head.appendChild(css.cloneNode());

  const RINGS = ["essential", "valued", "desirable"];
  const mapOf = (el) => el.closest("svg[data-eco-map]");
  const dimensionsOf = (svg) => svg.dataset.dimensions.split(" ").filter(Boolean);

  // The same rule as journeys/ecosystem/layout.py cell_at: ring by distance, sector by angle.
  function cellAt(svg, x, y) {
    const edges = svg.dataset.edges.split(" ").map(Number);
    const dimensions = dimensionsOf(svg);
    const dx = x - Number(svg.dataset.cx), dy = y - Number(svg.dataset.cy);
    const radius = Math.hypot(dx, dy);
    if (!dimensions.length || radius < edges[0] || radius > edges[3]) return null;
    const ring = RINGS[radius <= edges[1] ? 0 : radius <= edges[2] ? 1 : 2];
    const angle = ((Math.atan2(dy, dx) * 180) / Math.PI + 90 + 720) % 360;
    const index = Math.min(Math.floor(angle / (360 / dimensions.length)), dimensions.length - 1);
    return { ring, dimension: dimensions[index] };
  }

  function svgPoint(svg, event) {
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

  function move(chip, ring, dimension) {
    if (ring === chip.dataset.ring && dimension === chip.dataset.dimension) return false;
    htmx.ajax("POST", chip.dataset.moveUrl, {
      values: { ring, dimension, version: chip.dataset.version },
      source: board,
      target: board,
      swap: "none",
    });
    return true;
  }

  // Dragging: the chip follows the pointer; the map is marked so live redraws wait.
  let drag = null;
  board.addEventListener("pointerdown", (event) => {
    const chip = event.target.closest(".eco-chip[data-move-url]");
    if (!chip || event.button !== 0) return;
    const svg = mapOf(chip);
    drag = { chip, svg, start: svgPoint(svg, event), moved: false };
    chip.setPointerCapture(event.pointerId);
  });
  board.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const at = svgPoint(drag.svg, event);
    const dx = at.x - drag.start.x, dy = at.y - drag.start.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    drag.moved = true;
    drag.svg.classList.add("eco-dragging");
    drag.chip.classList.add("is-dragging");
    drag.chip.setAttribute("transform", `translate(${dx} ${dy})`);
    const cell = cellAt(drag.svg, at.x, at.y);
    drag.svg.querySelectorAll(".eco-dimension").forEach((label) => {
      label.classList.toggle("is-target", !!cell && label.dataset.dimension === cell.dimension);
    });
  });
  function endDrag(event, cancelled) {
    if (!drag) return;
    const { chip, svg, moved } = drag;
    drag = null;
    svg.classList.remove("eco-dragging");
    chip.classList.remove("is-dragging");
    svg.querySelectorAll(".eco-dimension.is-target").forEach((label) => label.classList.remove("is-target"));
    if (!moved) return;
    const at = svgPoint(svg, event);
    const cell = cancelled ? null : cellAt(svg, at.x, at.y);
    if (!cell || !move(chip, cell.ring, cell.dimension)) chip.removeAttribute("transform");
  }
  board.addEventListener("pointerup", (event) => endDrag(event, false));
  board.addEventListener("pointercancel", (event) => endDrag(event, true));

  // Keyboard: arrows move a focused party; Enter or Space opens its menu in the list.
  board.addEventListener("keydown", (event) => {
    const chip = event.target.closest && event.target.closest(".eco-chip[data-move-url]");
    if (!chip) return;
    const dimensions = dimensionsOf(mapOf(chip));
    const ring = RINGS.indexOf(chip.dataset.ring);
    const dimension = dimensions.indexOf(chip.dataset.dimension);
    const n = dimensions.length;
    const to = {
      ArrowUp: [Math.max(ring - 1, 0), dimension],
      ArrowDown: [Math.min(ring + 1, 2), dimension],
      ArrowLeft: [ring, (dimension - 1 + n) % n],
      ArrowRight: [ring, (dimension + 1) % n],
    }[event.key];
    if (to) {
      event.preventDefault();
      move(chip, RINGS[to[0]], dimensions[to[1]]);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      const menu = document.getElementById(`eco-menu-${chip.dataset.party}`);
      if (!menu) return;
      menu.open = true;
      menu.scrollIntoView({ block: "nearest" });
      menu.querySelector("select").focus();
    }
  });
})();
