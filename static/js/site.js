// When htmx swaps in a new step, move focus to the element marked
// data-focus-on-swap (usually its h1) so screen readers announce the change,
// as a full page load would. Swaps without the marker (live search) keep focus.
document.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail.target;
  const heading = target.matches("[data-focus-on-swap]")
    ? target
    : target.querySelector("[data-focus-on-swap]");
  if (heading) {
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
});
