// Loads the Matomo tracker without cookies. Settings come from the data attributes of this script's
// own tag, so the page needs no inline script and the Content-Security-Policy stays strict:
// <script src="suivi.js" data-matomo-url="https://stats.beta.gouv.fr" data-matomo-site-id="123" defer></script>
(function () {
  "use strict";
  var settings = document.currentScript ? document.currentScript.dataset : {};
  var url = (settings.matomoUrl || "").replace(/\/+$/, "");
  var siteId = settings.matomoSiteId || "";
  if (!url || !/^[0-9]+$/.test(siteId)) {
    return;
  }
  var paq = (window._paq = window._paq || []);
  paq.push(["disableCookies"]); // must come before trackPageView: no tracking cookie, ever
  paq.push(["trackPageView"]);
  paq.push(["enableLinkTracking"]);
  paq.push(["setTrackerUrl", url + "/matomo.php"]);
  paq.push(["setSiteId", siteId]);
  var tracker = document.createElement("script");
  tracker.async = true;
  tracker.src = url + "/matomo.js";
  document.head.appendChild(tracker);
})();
