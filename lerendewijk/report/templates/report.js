// Views, filters, click-through and printing; works offline and shows everything without JS.
(function () {
  var views = document.querySelectorAll(".view");
  var tabs = document.querySelectorAll(".view-tab");
  function show(name) {
    views.forEach(function (v) { v.hidden = v.getAttribute("data-view") !== name; });
    tabs.forEach(function (t) {
      if (t.getAttribute("data-view") === name) { t.setAttribute("aria-current", "page"); } else { t.removeAttribute("aria-current"); }
    });
  }
  function viewOf(target) {
    var view = target && (target.classList.contains("view") ? target : target.closest(".view"));
    return view ? view.getAttribute("data-view") : "gespreksverslag";
  }
  // A link to a theme or a link row (from the heat map or the theme chart) opens its quotes.
  function follow(hash) {
    var target = hash && hash.length > 1 ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
    if (views.length) { show(viewOf(target)); }
    if (target) {
      if (target.hidden) { reset(); }
      target.querySelectorAll("details").forEach(function (d) { d.open = true; });
      target.scrollIntoView();
    }
  }
  follow(window.location.hash);
  window.addEventListener("hashchange", function () { follow(window.location.hash); });

  // Theme filters: life domain, round and speaker role combine; the role filter also hides other quotes.
  var state = { domain: "alle", round: "alle", role: "alle" };
  var groups = document.querySelectorAll(".filter[data-filter]");
  var themes = document.querySelectorAll("#themas article.theme");
  var count = document.querySelector(".filter-count");
  function has(list, value) { return (" " + (list || "") + " ").indexOf(" " + value + " ") >= 0; }
  function apply() {
    var shown = 0;
    themes.forEach(function (t) {
      var visible = (state.domain === "alle" || t.getAttribute("data-domain") === state.domain) &&
        (state.round === "alle" || has(t.getAttribute("data-round"), state.round)) &&
        (state.role === "alle" || has(t.getAttribute("data-role"), state.role));
      t.hidden = !visible;
      if (visible) { shown += 1; }
      t.querySelectorAll("blockquote[data-role]").forEach(function (q) {
        q.hidden = state.role !== "alle" && q.getAttribute("data-role") !== state.role;
      });
    });
    if (count) {
      var active = state.domain !== "alle" || state.round !== "alle" || state.role !== "alle";
      var template = count.getAttribute("data-template") || "{shown} / {total}";
      count.textContent = active ? template.replace("{shown}", shown).replace("{total}", themes.length) : "";
    }
  }
  function select(group, value) {
    state[group.getAttribute("data-filter")] = value;
    group.querySelectorAll(".chip").forEach(function (c) {
      var on = c.getAttribute("data-value") === value;
      c.classList.toggle("active", on);
      c.setAttribute("aria-pressed", on ? "true" : "false");
    });
    apply();
  }
  function reset() { groups.forEach(function (g) { select(g, "alle"); }); }
  groups.forEach(function (group) {
    group.querySelectorAll(".chip").forEach(function (chip) {
      chip.addEventListener("click", function () { select(group, chip.getAttribute("data-value")); });
    });
  });

  // Printing shows every quote, also those folded away or filtered on screen.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
    reset();
  });
})();
