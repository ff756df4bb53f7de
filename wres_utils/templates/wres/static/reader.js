/* WRES reader controls: content scaling, font size, line height and letter spacing, each
   shown as a percentage. Shipped as a static file and inlined in every page (its sha256 is
   computed in wres_utils/report/reader.py for the Content-Security-Policy). Offline: it loads
   nothing. With scripts off the controls stay hidden and the page is as published. The
   choice is remembered between pages in localStorage (when the browser allows it). */
(function () {
  "use strict";
  var KEY = "wres-reader-settings";
  var SETTINGS = {
    scale: { prop: "--wres-scale", min: 50, max: 200, step: 10 },
    font: { prop: "--wres-font", min: 50, max: 200, step: 10 },
    line: { prop: "--wres-line", min: 100, max: 200, step: 10 },
    letter: { prop: "--wres-letter", min: 100, max: 300, step: 25 }
  };
  var root = document.documentElement;
  var state = {};

  function load() {
    try {
      var raw = window.localStorage.getItem(KEY);
      var parsed = raw ? JSON.parse(raw) : {};
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch (e) {
      return {};
    }
  }

  function save() {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (e) {
      /* storage refused (private mode, file: policy): the setting lasts for this page */
    }
  }

  function clamp(name, value) {
    var s = SETTINGS[name];
    var v = Math.round(Number(value));
    if (!isFinite(v)) return 100;
    return Math.min(s.max, Math.max(s.min, v));
  }

  function apply(name) {
    var v = state[name];
    if (v === 100) {
      root.style.removeProperty(SETTINGS[name].prop);
    } else {
      root.style.setProperty(SETTINGS[name].prop, String(v / 100));
    }
    var out = document.getElementById("wres-" + name + "-value");
    if (out) out.textContent = v + "%";
  }

  function applyAll() {
    var stored = load();
    Object.keys(SETTINGS).forEach(function (name) {
      state[name] = clamp(name, stored[name] === undefined ? 100 : stored[name]);
      apply(name);
    });
  }

  function change(name, direction) {
    var s = SETTINGS[name];
    state[name] = clamp(name, direction === 0 ? 100 : state[name] + direction * s.step);
    apply(name);
    save();
  }

  function wire() {
    var box = document.getElementById("wres-reader");
    if (!box) return;
    var buttons = box.querySelectorAll("button[data-wres-setting]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var name = button.getAttribute("data-wres-setting");
        var step = Number(button.getAttribute("data-wres-step"));
        if (SETTINGS[name]) change(name, step);
      });
    });
    var reset = document.getElementById("wres-reader-reset");
    if (reset) {
      reset.addEventListener("click", function () {
        Object.keys(SETTINGS).forEach(function (name) {
          state[name] = 100;
          apply(name);
        });
        save();
      });
    }
    Object.keys(SETTINGS).forEach(apply);
    box.hidden = false;
  }

  applyAll();
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) applyAll();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
