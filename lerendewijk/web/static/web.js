// Small enhancements; every page also works without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function sizeText(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " kB";
  }

  // drag and drop onto the file inputs, with the chosen files listed and checked before sending
  document.querySelectorAll(".dropzone").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    var list = document.getElementById(input.id + "-lijst");
    var allowed = (input.getAttribute("accept") || "").split(",");
    function show() {
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        var name = document.createElement("span");
        var size = document.createElement("span");
        var lower = file.name.toLowerCase();
        var ok = allowed.some(function (ext) { return ext && lower.endsWith(ext); });
        name.textContent = ok ? file.name : file.name + ": dit soort bestand kan lerendewijk niet lezen en wordt overgeslagen";
        size.className = "size";
        size.textContent = sizeText(file.size);
        if (!ok) { item.className = "bad"; }
        item.appendChild(name);
        item.appendChild(size);
        list.appendChild(item);
      });
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) { return; }
      if (input.multiple) {
        var merged = new DataTransfer();
        Array.prototype.forEach.call(input.files, function (f) { merged.items.add(f); });
        Array.prototype.forEach.call(files, function (f) { merged.items.add(f); });
        input.files = merged.files;
      } else {
        var one = new DataTransfer();
        one.items.add(files[0]);
        input.files = one.files;
      }
      show();
    });
    show();
  });

  // one click is enough: a second submit of a long upload would only start a second job
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        window.setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });

  // live progress of a running job: poll its status and fill in the stages
  var status = document.getElementById("taak-status");
  if (status && status.getAttribute("data-state") === "bezig") {
    var id = status.getAttribute("data-job");
    var fill = function (listId, lines, blockId) {
      var list = document.getElementById(listId);
      if (!list) { return; }
      list.textContent = "";
      lines.forEach(function (line) { var li = document.createElement("li"); li.textContent = line; list.appendChild(li); });
      var block = document.getElementById(blockId || listId);
      if (block) { block.hidden = lines.length === 0; }
    };
    var poll = function () {
      fetch("/taken/" + encodeURIComponent(id) + ".json", { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          if (job.state !== "bezig") { window.location.reload(); return; }
          var time = document.getElementById("taak-tijd");
          if (time) { time.textContent = Math.round(job.seconds); }
          job.stages.forEach(function (stage) {
            var li = document.querySelector('[data-stage="' + stage.key + '"]');
            if (!li) { return; }
            li.className = "stage " + stage.state;
            li.querySelector(".state").textContent = stage.state === "klaar"
              ? "klaar" + (stage.seconds !== null ? " (" + stage.seconds.toFixed(1) + " s)" : "")
              : (stage.state === "bezig" ? "bezig" : "wacht");
          });
          fill("taak-notities", job.notes);
          fill("taak-ingelezen", job.read, "taak-ingelezen-blok");
          fill("taak-fouten", job.errors, "taak-fouten-blok");
          window.setTimeout(poll, 800);
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    };
    window.setTimeout(poll, 500);
  }
})();
// coming back with the browser's back button must not leave the buttons disabled
window.addEventListener("pageshow", function () {
  document.querySelectorAll("button[type=submit][disabled]").forEach(function (b) { b.disabled = false; });
});
