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

// GOV.UK's conditional reveal: a radio's extra question shows only while it is chosen
// (without JavaScript it always shows).
const revealChosen = () => {
  for (const radio of document.querySelectorAll("input[type=radio][data-reveals]")) {
    document.getElementById(radio.dataset.reveals).hidden = !radio.checked;
  }
};
document.addEventListener("DOMContentLoaded", revealChosen);
document.addEventListener("change", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.type === "radio") revealChosen();
});

// Sign-up: start at the browser's own time zone: its radio, or "Other time zone" with the
// full list set to it. Only on a fresh form (the server marks it), so a zone the person
// chose is never replaced.
document.addEventListener("DOMContentLoaded", () => {
  const radios = document.querySelector("[data-guess-time-zone]");
  if (!radios || typeof Intl === "undefined") return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;
  const own = Array.from(radios.querySelectorAll("input[type=radio]")).find(
    (radio) => radio.value === zone,
  );
  const other = radios.querySelector("input[type=radio][data-reveals]");
  const select = other && document.getElementById(other.dataset.reveals).querySelector("select");
  if (own) {
    own.checked = true;
  } else if (select && Array.from(select.options).some((option) => option.value === zone)) {
    other.checked = true;
    select.value = zone;
  }
  revealChosen();
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

// GOV.UK Frontend's components the site uses (build/govuk-frontend.js): the journal's
// section menu, folded behind a button on a phone, and success banners, which take focus
// so a screen reader reads them out; on the first load and in what htmx swaps in.
const startGovukComponents = (root) => {
  const govuk = window.GOVUKFrontend;
  if (!govuk || !(root instanceof Element)) return;
  document.body.classList.add("govuk-frontend-supported");
  for (const Component of [govuk.ServiceNavigation, govuk.NotificationBanner]) {
    const selector = `[data-module="${Component.moduleName}"]`;
    for (const element of [root, ...root.querySelectorAll(selector)]) {
      if (element.matches(selector) && !element.hasAttribute(`data-${Component.moduleName}-init`)) {
        new Component(element);
      }
    }
  }
};
startGovukComponents(document.body);
document.addEventListener("htmx:load", (event) => startGovukComponents(event.target));
