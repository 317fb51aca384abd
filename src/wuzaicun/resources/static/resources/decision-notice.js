// The 公示 page's 打印 button (no inline script: the content security policy forbids it).
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) window.print();
});
