// Saves questionnaire answers as they are chosen, so closing the page loses nothing.
// Without JavaScript the "Save and come back later" button does the same.
(function () {
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  var status = document.getElementById("autosave-status");
  form.addEventListener("change", function () {
    var data = new URLSearchParams(new FormData(form));
    data.set("action", "save");
    // form.action would name the submit buttons called "action", not the address.
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Mend-Autosave": "1" }
    }).then(function (r) {
      if (status) status.textContent = r.ok ? "Answers saved." : "";
    }).catch(function () {});
  });
})();
