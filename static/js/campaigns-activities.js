// Adds an "add another activity" button to the participation form. Each
// click copies the formset's empty form from its <template>, numbers it
// and raises TOTAL_FORMS. Without JavaScript the form keeps its two blank
// activities, and more can be added by saving and editing again.
document.querySelectorAll("template[data-activity-template]").forEach((template) => {
  const form = template.closest("form");
  const prefix = template.dataset.prefix;
  const total = form.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const maximum = Number(form.querySelector(`input[name="${prefix}-MAX_NUM_FORMS"]`).value);
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = template.dataset.addLabel;

  const update = () => {
    button.hidden = Number(total.value) >= maximum;
  };

  button.addEventListener("click", () => {
    const index = Number(total.value);
    const html = template.innerHTML
      .replaceAll("__prefix__", String(index))
      .replaceAll("__number__", String(index + 1));
    template.insertAdjacentHTML("beforebegin", html);
    total.value = String(index + 1);
    update();
    const fieldset = template.previousElementSibling;
    fieldset.querySelector("input, select, textarea").focus();
  });

  template.after(button);
  update();
});
