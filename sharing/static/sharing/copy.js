// Copying needs JavaScript, so the page sends the copy button hidden and it is shown here.
// Without it the link is still there to select and copy.
document.addEventListener("DOMContentLoaded", () => {
  for (const group of document.querySelectorAll("[data-copy-group]")) {
    const button = group.querySelector("button[data-copy]");
    const field = button && document.getElementById(button.dataset.copy);
    const status = group.querySelector("[data-copied]");
    if (!field || !navigator.clipboard) continue;
    group.hidden = false;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(field.textContent.trim());
      if (status) status.textContent = "The link is copied.";
    });
  }
});
