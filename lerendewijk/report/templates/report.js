// Views, domain filter and printing; works offline and shows everything without JS.
(function () {
  var views = document.querySelectorAll(".view");
  var tabs = document.querySelectorAll(".view-tab");
  function show(name) {
    views.forEach(function (v) { v.hidden = v.getAttribute("data-view") !== name; });
    tabs.forEach(function (t) {
      if (t.getAttribute("data-view") === name) { t.setAttribute("aria-current", "page"); } else { t.removeAttribute("aria-current"); }
    });
  }
  function viewOf(hash) {
    var target = hash ? document.getElementById(hash.slice(1)) : null;
    var view = target && (target.classList.contains("view") ? target : target.closest(".view"));
    return view ? view.getAttribute("data-view") : "gespreksverslag";
  }
  if (views.length) {
    show(viewOf(window.location.hash));
    window.addEventListener("hashchange", function () { show(viewOf(window.location.hash)); });
  }
  var chips = document.querySelectorAll(".filter .chip");
  var themes = document.querySelectorAll("#themas article.theme");
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
