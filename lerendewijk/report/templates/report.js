// Filter themes by life domain; works without a network and degrades to "show all" without JS.
(function () {
  var chips = document.querySelectorAll(".filter .chip");
  var themes = document.querySelectorAll("article.theme");
  chips.forEach(function (chip) {
    chip.addEventListener("click", function () {
      var domain = chip.getAttribute("data-domain");
      chips.forEach(function (c) {
        var on = c === chip;
        c.classList.toggle("active", on);
        c.setAttribute("aria-pressed", on ? "true" : "false");
      });
      themes.forEach(function (t) {
        t.hidden = !(domain === "alle" || t.getAttribute("data-domain") === domain);
      });
    });
  });
  // Printing shows every quote, also those folded away on screen.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
