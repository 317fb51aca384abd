// 明白卡: the 打印 button prints the page (no inline script: the CSP forbids it).
document.addEventListener("click", (event) => {
  const target = event.target;
  if (target instanceof HTMLElement && target.closest("[data-print]")) {
    window.print();
  }
});
