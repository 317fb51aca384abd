// wuzaicun's own behaviour; no inline scripts (the CSP allows scripts from this site only).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLElement && target.matches("[data-autosubmit]") && target.form) {
    target.form.requestSubmit();
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-reset-form]") : null;
  if (button) {
    const form = document.getElementById(button.getAttribute("data-reset-form"));
    if (form) {
      form.querySelectorAll("input[type=text], input[type=search], input[type=number]").forEach((el) => { el.value = ""; });
      form.querySelectorAll("select").forEach((el) => { el.selectedIndex = 0; });
      form.querySelectorAll("input[type=hidden][data-resettable]").forEach((el) => { el.value = ""; });
      form.querySelectorAll(".picker-chip").forEach((chip) => chip.remove());  // a picked area or village
      document.querySelectorAll(`[data-region-form="${form.id}"] .region-link.active`).forEach((a) => a.classList.remove("active"));
      form.requestSubmit();
    }
  }
});
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box instanceof HTMLInputElement && box.dataset.checkAll) {
    document.querySelectorAll(`input[type=checkbox][name="${box.dataset.checkAll}"]`).forEach((el) => {
      if (el instanceof HTMLInputElement) el.checked = box.checked;
    });
  }
});

// The picker (core/pickers.py): htmx posts the typed term and swaps the matches into .picker-results;
// choosing one here keeps a hidden input with its id (a chip with 移除; several chips when multiple).
const picker = {
  of: (el) => el.closest("[data-picker]"),
  results: (box) => box.querySelector(".picker-results"),
  options: (box) => Array.from(box.querySelectorAll(".picker-option")),
  close(box) {
    const results = picker.results(box);
    results.replaceChildren();
    box.querySelector(".picker-search").setAttribute("aria-expanded", "false");
  },
  values: (box) => Array.from(box.querySelectorAll(".picker-chosen input[type=hidden]")).map((el) => el.value),
  chip(box, value, label) {
    const chip = document.createElement("span");
    chip.className = "badge text-bg-light border picker-chip";
    chip.dataset.value = value;
    const text = document.createElement("span");
    text.className = "picker-chip-label";
    text.textContent = label;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn-close picker-remove";
    remove.setAttribute("aria-label", `移除 ${label}`);
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = box.dataset.picker;
    input.value = value;
    chip.append(text, remove, input);
    return chip;
  },
  mark(box) {
    const chosen = new Set(picker.values(box));
    picker.options(box).forEach((option) => {
      const on = chosen.has(option.dataset.pickValue);
      option.setAttribute("aria-selected", on ? "true" : "false");
      option.classList.toggle("active", on);
    });
  },
  changed(box) {
    // Pickers narrowed by this one (households within the chosen village) start again.
    document.querySelectorAll(`[data-within="${box.dataset.picker}"]`).forEach((other) => {
      other.querySelector(".picker-chosen").replaceChildren();
      picker.close(other);
    });
    box.dispatchEvent(new CustomEvent("picker:change", { bubbles: true }));
  },
  choose(option) {
    const box = picker.of(option);
    const chosen = box.querySelector(".picker-chosen");
    const value = option.dataset.pickValue;
    const search = box.querySelector(".picker-search");
    if (box.dataset.multiple === "1") {
      const existing = chosen.querySelector(`[data-value="${CSS.escape(value)}"]`);
      if (existing) existing.remove(); else chosen.append(picker.chip(box, value, option.dataset.pickLabel));
      picker.mark(box);
      option.focus();
    } else {
      chosen.replaceChildren(picker.chip(box, value, option.dataset.pickLabel));
      search.value = "";
      picker.close(box);
      search.focus();
    }
    picker.changed(box);
  },
};
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (target instanceof HTMLElement && target.matches(".picker-results")) {
    const box = picker.of(target);
    box.querySelector(".picker-search").setAttribute("aria-expanded", target.children.length ? "true" : "false");
    picker.mark(box);
  }
});
document.addEventListener("click", (event) => {
  const el = event.target instanceof Element ? event.target : null;
  const option = el && el.closest(".picker-option");
  if (option) { picker.choose(option); return; }
  const remove = el && el.closest(".picker-remove");
  if (remove) {
    const box = picker.of(remove);
    remove.closest(".picker-chip").remove();
    picker.mark(box);
    picker.changed(box);
    box.querySelector(".picker-search").focus();
    return;
  }
  document.querySelectorAll("[data-picker]").forEach((box) => { if (!el || !box.contains(el)) picker.close(box); });
});
document.addEventListener("keydown", (event) => {
  const el = event.target instanceof HTMLElement ? event.target : null;
  const box = el && picker.of(el);
  if (!box) return;
  const options = picker.options(box);
  const at = options.indexOf(el);
  const search = box.querySelector(".picker-search");
  if (event.key === "ArrowDown" && options.length) {
    event.preventDefault();
    options[Math.min(at + 1, options.length - 1)].focus();
  } else if (event.key === "ArrowUp" && at >= 0) {
    event.preventDefault();
    if (at === 0) search.focus(); else options[at - 1].focus();
  } else if (event.key === "Escape") {
    picker.close(box);
    search.focus();
  } else if (event.key === "Enter" && el === search) {
    event.preventDefault(); // Enter in the search box chooses the first match, it never submits the form
    if (options.length) picker.choose(options[0]);
  }
});

// The region tree beside list pages: a chevron opens a node (htmx loads its children once); a name
// filters the list through the page's search form, keeping its other filters (its href works without this).
document.addEventListener("click", (event) => {
  const el = event.target instanceof Element ? event.target : null;
  const toggle = el && el.closest(".region-toggle");
  if (toggle) {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    const list = toggle.parentElement.querySelector(":scope > ul");
    if (list) list.hidden = !open;
    return;
  }
  const link = el && el.closest(".region-link");
  const tree = link && link.closest("[data-region-form]");
  const form = tree && document.getElementById(tree.dataset.regionForm);
  if (form && form.elements.namedItem("region")) {
    event.preventDefault();
    form.elements.namedItem("region").value = link.dataset.region;
    tree.querySelectorAll(".region-link.active").forEach((a) => a.classList.remove("active"));
    link.classList.add("active");
    form.requestSubmit();
  }
});
