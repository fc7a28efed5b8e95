// The live board: inline editing, a note menu, drag and drop. Every action also works
// without this file through the links and forms in the page.
(() => {
  const board = document.querySelector("[data-board]");
  if (!board) return;
  const notesUrl = board.dataset.moveUrl;
  let menu = null;

  // Source and target stay the board: the note itself may be swapped out by the response.
  const post = (url, values) => htmx.ajax("POST", url, { values, source: board, target: board, swap: "none" });
  const noteOf = (el) => el && el.closest(".note");

  // Every request tells the server which revision the board shows, so an answer to a
  // write brings everyone's changes since then too; an answer older than that is dropped.
  const knownRevision = () => {
    const live = document.getElementById("board-live");
    return live ? new URL(live.dataset.pollUrl, location.href).searchParams.get("rev") : "";
  };
  document.body.addEventListener("htmx:configRequest", (event) => {
    event.detail.headers["X-Board-Revision"] = knownRevision();
  });
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const answered = event.detail.xhr.getResponseHeader("X-Board-Revision");
    if (answered !== null && Number(answered) < Number(knownRevision())) event.detail.shouldSwap = false;
  });

  // Notes sent one by one: each changed area's notes in order, with the cards of the
  // notes that changed. Cards the board shows stay, and so does a note being edited,
  // moved or acted on: its change comes again (from the old revision) once it is free.
  let skipped = false; // something was left as it was: poll again from the old revision
  let lost = false; // an update named a note this board never had: ask for everything
  const busy = (note) => note.matches(".is-editing, .sortable-chosen") || note.querySelector(".note-menu");
  function placeNotes(fragment) {
    const focused = document.activeElement?.id;
    for (const update of fragment.querySelectorAll("template[data-area]")) {
      const list = document.getElementById(`notes-${update.dataset.area}`);
      if (!list || list.querySelector(".sortable-chosen")) {
        skipped = true;
        continue;
      }
      const fresh = new Map([...update.content.children].map((note) => [note.id, note]));
      const order = update.dataset.order.split(" ").map((pk) => `note-${pk}`);
      const wanted = new Set(order);
      for (const note of list.querySelectorAll(":scope > .note")) {
        if (wanted.has(note.id)) continue;
        if (busy(note)) skipped = true;
        else note.remove();
      }
      list.querySelector(":scope > .area-prompt")?.remove();
      let next = list.querySelector(":scope > .note");
      for (const id of order) {
        let note = document.getElementById(id);
        const card = fresh.get(id);
        if (note && busy(note)) {
          if (card || note !== next) skipped = true; // it stays as it is, where it is
          if (note === next) next = next.nextElementSibling;
          continue;
        }
        if (card && note) {
          note.replaceWith(card);
          if (next === note) next = card;
        }
        note = card || note;
        if (!note) {
          lost = true;
          continue;
        }
        if (note === next) next = next.nextElementSibling;
        else list.insertBefore(note, next);
      }
    }
    if (focused && !document.activeElement?.id) document.getElementById(focused)?.focus();
  }

  // Keep what the user is doing when live updates replace an area.
  document.body.addEventListener("htmx:oobBeforeSwap", (event) => {
    const target = event.detail.target;
    if (target && target.id === "board-delta") {
      event.detail.shouldSwap = false;
      placeNotes(event.detail.fragment);
      return;
    }
    if (target && target.querySelector && target.querySelector(".is-editing, .note-menu, .bdn-menu[open], .panel-menu[open], .bdn-add input[name=label]:not(:placeholder-shown), .panel-add input[placeholder]:not(:placeholder-shown), .eco-dragging")) {
      event.detail.shouldSwap = false;
      skipped = true;
      return;
    }
    // The live marker comes last: if an area was skipped, keep polling from the old
    // revision so that area is sent again once the user is done with it.
    if (target && target.id === "board-live" && (skipped || lost)) {
      const incoming = event.detail.fragment.querySelector("#board-live") || event.detail.fragment;
      const url = new URL(target.dataset.pollUrl, location.href);
      if (lost) url.searchParams.set("rev", "");
      incoming.setAttribute?.("data-poll-url", `${url.pathname}${url.search}`);
      skipped = lost = false;
    }
    board.dataset.focused = document.activeElement && document.activeElement.id || "";
  });
  document.body.addEventListener("htmx:oobAfterSwap", () => {
    const id = board.dataset.focused;
    if (id && !document.activeElement?.id) document.getElementById(id)?.focus();
  });

  // The network editor: a form sent from a node's menu closes it (so the answer may
  // redraw the editor) and leaves focus on the menu button; an add form is cleared.
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    const menu = form.closest && form.closest(".bdn-menu");
    if (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
    if (form.classList && form.classList.contains("bdn-add")) form.querySelector("input[name=label]").value = "";
    if (form.classList && form.classList.contains("panel-add")) form.querySelectorAll("input:not([type=hidden])").forEach((input) => { input.value = ""; });
    const panelMenu = form.closest && form.closest(".panel-menu");
    if (panelMenu) {
      panelMenu.open = false;
      panelMenu.querySelector("summary").focus();
    }
  });

  document.addEventListener("keydown", (event) => {
    const menu = event.key === "Escape" && event.target.closest && event.target.closest(".bdn-menu[open], .panel-menu[open]");
    if (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });

  // Adding: the form stays, cleared and focused, for the next note.
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (form.classList && form.classList.contains("note-add") && event.detail.successful) {
      const input = form.querySelector(".note-add-input");
      input.value = "";
      input.focus();
    }
  });

  // Inline editing: double-click or Enter on a focused note; Enter saves, Escape cancels.
  function startEdit(note) {
    if (note.classList.contains("is-editing")) return;
    closeMenu();
    const text = note.querySelector(".note-text");
    const editor = document.createElement("textarea");
    editor.defaultValue = editor.value = text.innerText;
    editor.rows = 3;
    editor.setAttribute("aria-label", "Note text");
    note.classList.add("is-editing");
    text.replaceWith(editor);
    editor.focus();
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        note.classList.remove("is-editing");
        post(`${notesUrl}${note.dataset.note}/`, { text: editor.value, original: editor.defaultValue, version: note.dataset.version });
      } else if (event.key === "Escape") {
        note.classList.remove("is-editing");
        editor.replaceWith(text);
        note.focus();
      }
    });
  }
  board.addEventListener("dblclick", (event) => {
    const note = noteOf(event.target);
    if (note && !event.target.closest("textarea")) startEdit(note);
  });
  board.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.classList.contains("note")) {
      event.preventDefault();
      startEdit(event.target);
    }
  });

  // The note menu: one shared element, opened from a note's "…" link.
  function closeMenu() {
    if (!menu) return;
    const opener = menu.opener;
    menu.remove();
    menu = null;
    opener?.focus();
  }
  function openMenu(button) {
    closeMenu();
    const note = noteOf(button);
    menu = document.getElementById("note-menu-template").content.firstElementChild.cloneNode(true);
    menu.opener = button;
    note.appendChild(menu);
    menu.style.top = `${button.offsetTop + button.offsetHeight}px`;
    menu.querySelector("button").focus();
    const url = `${notesUrl}${note.dataset.note}/`;
    menu.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action === "edit") startEdit(note);
      if (action === "colour") post(url, { colour: event.target.dataset.colour, version: note.dataset.version });
      if (action === "delete") post(`${url}delete/`, {});
      if (action === "colour" || action === "delete") closeMenu();
    });
    menu.querySelector("select").addEventListener("change", (event) => {
      if (event.target.value) post(`${url}move/`, { area: event.target.value });
      closeMenu();
    });
  }
  board.addEventListener("click", (event) => {
    const button = event.target.closest(".note-menu-btn");
    if (button) {
      event.preventDefault();
      openMenu(button);
    } else if (menu && !event.target.closest(".note-menu")) {
      closeMenu();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeMenu();
  });

  // Live updates: ask every 1.5 s whether the board changed since the revision shown.
  // Requests go out from the board element, which live updates never replace.
  let polling = false;
  setInterval(() => {
    const live = document.getElementById("board-live");
    if (!live || polling) return;
    polling = true;
    htmx.ajax("GET", live.dataset.pollUrl, { source: board, target: board, swap: "none" })
      .finally(() => { polling = false; });
  }, 1500);

  // The countdown ticks locally between live updates, which re-render it from the server.
  setInterval(() => {
    const timer = document.querySelector("[data-timer][data-running]");
    if (!timer) return;
    const left = Math.max(0, Number(timer.dataset.remaining) - 1);
    timer.dataset.remaining = left;
    timer.textContent = `${String(Math.floor(left / 60)).padStart(2, "0")}:${String(left % 60).padStart(2, "0")}`;
    timer.classList.toggle("is-over", left === 0);
  }, 1000);

  // Forms inside regions that live updates replace (the bar, fields, vote buttons) post
  // from the board element: a response to a form that was swapped out meanwhile would
  // otherwise find no targets and be dropped.
  const postForm = (form, submitter) =>
    post(form.getAttribute("action"), Object.fromEntries(new FormData(form, submitter).entries()));
  document.body.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-board-post]");
    if (!form) return;
    event.preventDefault();
    postForm(form, event.submitter);
  });
  document.body.addEventListener("change", (event) => {
    const form = event.target.closest('form[data-board-post="change"]');
    if (form) postForm(form);
  });

  // Drag and drop between and within areas.
  htmx.onLoad((root) => {
    const lists = root.matches?.(".area-notes") ? [root] : root.querySelectorAll?.(".area-notes") || [];
    lists.forEach((list) => {
      if (list.dataset.sortable || !board.querySelector(".note-add")) return;
      list.dataset.sortable = "1";
      Sortable.create(list, {
        group: "notes",
        draggable: ".note",
        filter: "textarea, .note-menu, .note-menu-btn",
        preventOnFilter: false,
        animation: 120,
        onEnd: (event) => {
          if (event.from === event.to && event.oldDraggableIndex === event.newDraggableIndex) return;
          const note = event.item;
          post(`${notesUrl}${note.dataset.note}/move/`, { area: event.to.dataset.area, position: event.newDraggableIndex });
        },
      });
    });
  });
})();
