// When htmx swaps in a new step, move focus to the element marked
// data-focus-on-swap (the new h1, or the error summary) so screen readers
// announce the change, as they would after a full page load. Swaps that do
// not bring such an element (live search results) leave focus where it is.
document.addEventListener("htmx:afterSettle", (event) => {
  const swapped = event.detail.elt;
  const heading = document.querySelector("[data-focus-on-swap]");
  if (heading && swapped && swapped.isConnected && swapped.contains(heading)) {
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
});

// A link shown and announced as a button (role="button", such as "Start now") must
// answer the Space key as a button does; browsers follow links on Enter only.
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.key === " " && target instanceof HTMLAnchorElement && target.getAttribute("role") === "button") {
    event.preventDefault();
    target.click();
  }
});

// As GOV.UK Frontend does: after a full page load with errors, move focus to the error
// summary so a screen reader announces the problems first.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".govuk-error-summary");
  if (summary) summary.focus();
});

// Sign-up: start the time zone list at the browser's own time zone, when the list has it.
// Only on a fresh form (the server marks it), so a zone the person chose is never replaced.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("select[data-guess-time-zone]");
  if (!select || typeof Intl === "undefined") return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && Array.from(select.options).some((option) => option.value === zone)) {
    select.value = zone;
  }
});

// Print buttons need JavaScript, so the page sends them hidden and they are shown here,
// on the first load and in every step htmx swaps in.
const showPrintButtons = (root) => {
  for (const button of root.querySelectorAll("button[data-print]")) button.hidden = false;
};
showPrintButtons(document);
document.addEventListener("htmx:load", (event) => showPrintButtons(event.target));
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("button[data-print]")) window.print();
});
