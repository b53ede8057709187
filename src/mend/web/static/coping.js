// Coping toolkit, progressive enhancement only: every exercise works without this file.
// 1. Breathing: a timer (time and breaths) while the pacer runs, each phase announced to
//    screen readers as it begins (never every second), and under reduced motion a
//    written "Breathe in · 2" count that follows the clock.
// 2. The closing rating: if it is sent while offline, keep it and send it once the
//    connection is back, instead of losing it to an error page.
(function () {
  "use strict";

  function setUpPacer(pacer) {
    var phases;
    try {
      phases = JSON.parse(pacer.getAttribute("data-phases") || "[]");
    } catch (e) {
      return;
    }
    var cycle = phases.reduce(function (sum, p) { return sum + p.seconds; }, 0);
    if (!cycle) return;
    var stepId = pacer.getAttribute("data-step");
    var timer = pacer.querySelector("[data-coping-timer]");
    var elapsedOut = pacer.querySelector("[data-coping-elapsed]");
    var breathsOut = pacer.querySelector("[data-coping-breaths]");
    var now = pacer.querySelector("[data-coping-now]");
    var live = pacer.querySelector("[data-coping-live]");
    var started = null;
    var lastPhase = -1;
    var ticking = null;
    timer.hidden = false;
    now.hidden = false;

    function phaseAt(seconds) {
      var within = seconds % cycle;
      for (var i = 0; i < phases.length; i++) {
        if (within < phases[i].seconds) return { index: i, count: Math.floor(within) + 1 };
        within -= phases[i].seconds;
      }
      return { index: phases.length - 1, count: phases[phases.length - 1].seconds };
    }

    function show() {
      var seconds = (Date.now() - started) / 1000;
      var whole = Math.floor(seconds);
      elapsedOut.textContent = Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
      var breaths = Math.floor(seconds / cycle);
      breathsOut.textContent = breaths + (breaths === 1 ? " breath" : " breaths");
      var phase = phaseAt(seconds);
      now.textContent = phases[phase.index].label + " · " + phase.count;
      if (phase.index !== lastPhase) {
        // One announcement per phase: a calm rhythm, in step with the circle.
        lastPhase = phase.index;
        live.textContent = phases[phase.index].label;
      }
    }

    function start() {
      if (ticking) return;
      started = Date.now();
      lastPhase = -1;
      show();
      ticking = window.setInterval(show, 250);
    }

    function stop() {
      if (!ticking) return;
      window.clearInterval(ticking);
      ticking = null;
      live.textContent = "";
      now.textContent = "";
    }

    function follow() {
      // The CSS animation runs while the pacer's step is the #fragment; so does the timer.
      if (window.location.hash === "#" + stepId) start(); else stop();
    }

    window.addEventListener("hashchange", follow);
    follow();
  }

  function holdWhileOffline(form) {
    var status = form.querySelector("[data-coping-offline]");
    var waiting = false;
    form.addEventListener("submit", function (event) {
      if (navigator.onLine !== false) return;
      event.preventDefault();
      if (waiting) return;
      waiting = true;
      status.hidden = false;
      status.textContent =
        "You're offline at the moment. Keep this page open and your answers will be " +
        "saved as soon as you're back online.";
      window.addEventListener("online", function () {
        status.textContent = "Back online. Saving…";
        form.submit();
      }, { once: true });
    });
  }

  var pacer = document.querySelector("[data-coping-pacer]");
  if (pacer) setUpPacer(pacer);
  var forms = document.querySelectorAll("form[data-coping-finish]");
  for (var i = 0; i < forms.length; i++) holdWhileOffline(forms[i]);
})();
