// Small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  field.select();
  navigator.clipboard?.writeText(field.value);
  const label = button.innerHTML;
  button.textContent = "Copied";
  setTimeout(() => { button.innerHTML = label; }, 1500);
});
