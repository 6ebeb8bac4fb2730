// Opt-out of audience measurement, first-party: calls the tracker already loaded on the page
// (optUserOut / forgetUserOptOut) instead of embedding Matomo's third-party iframe.
// Expects <div data-opt-out><p data-opt-out-status>…</p></div> on the privacy page.
(function () {
  "use strict";
  var box = document.querySelector("[data-opt-out]");
  if (!box) {
    return;
  }
  var status = box.querySelector("[data-opt-out-status]");
  var tracking = document.querySelector("script[data-matomo-site-id]");
  if (!tracking || !window._paq) {
    status.textContent =
      "La mesure d'audience n'est pas active sur ce site : aucune donnée de visite n'est collectée.";
    return;
  }
  // Matomo replaces the window._paq array with its own object once loaded: always read it anew.
  function paq(command) {
    window._paq.push(command);
  }
  var ready = false;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "fr-btn fr-btn--secondary";

  function render(optedOut) {
    ready = true;
    status.textContent = optedOut
      ? "Vous vous êtes opposé·e à la mesure d'audience : vos visites ne sont plus comptées."
      : "Vos visites sont comptées de façon anonyme, sans cookie.";
    button.textContent = optedOut ? "Accepter de nouveau la mesure" : "Ne plus mesurer ma visite";
    if (!button.parentNode) {
      box.appendChild(button);
    }
  }

  button.addEventListener("click", function () {
    paq([
      function () {
        if (this.isUserOptedOut()) {
          this.forgetUserOptOut();
        } else {
          this.optUserOut();
        }
        render(this.isUserOptedOut());
      },
    ]);
  });

  status.textContent = "Chargement de votre choix…";
  // Runs once the tracker is loaded, with the tracker as `this`.
  paq([
    function () {
      render(this.isUserOptedOut());
    },
  ]);
  window.setTimeout(function () {
    if (!ready) {
      status.textContent =
        "Le service de mesure d'audience n'a pas pu être joint (un bloqueur, peut-être) : " +
        "tant qu'il reste injoignable, votre visite n'est pas mesurée.";
    }
  }, 5000);
})();
