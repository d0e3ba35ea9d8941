// Starts Swagger UI (vendored from swagger-ui-dist, see vendor/VENDOR.md) on one service's document.
// An external file, so the page's Content-Security-Policy needs no inline script.
(function () {
  "use strict";
  var services = ["registry-api", "funding-api", "inspection-api"];
  var asked = new URLSearchParams(window.location.search).get("service");
  var service = services.indexOf(asked) >= 0 ? asked : services[0];
  document.title = "NOXH — " + service;
  window.ui = SwaggerUIBundle({
    url: "specs/" + service + ".json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // No call to the public validator: nothing leaves the platform.
    validatorUrl: null,
    tryItOutEnabled: false,
    persistAuthorization: false,
    displayOperationId: true,
    defaultModelsExpandDepth: 0,
  });
})();
