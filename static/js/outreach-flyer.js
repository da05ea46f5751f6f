// Shows the flyer's print button, which needs JavaScript, and prints on click.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
