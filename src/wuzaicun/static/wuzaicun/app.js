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
