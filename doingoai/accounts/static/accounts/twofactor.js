// The recovery codes' Print button (two-step sign-in). No inline script: the back office's
// Content-Security-Policy serves scripts from this site.
document.querySelectorAll("[data-twofactor-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
