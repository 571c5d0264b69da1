// The Query view: YASGUI (shipped in the wheel) on this server's read-only /sparql, preloaded with the
// competency questions. Nothing is fetched from another origin: no endpoint catalogue, no LOV
// autocompletion, no URL shortener, and tabs are not persisted.
(function () {
  "use strict";
  var questions = JSON.parse(document.getElementById("questions").textContent);
  var select = document.getElementById("cq");
  var endpoint = new URL("/sparql", window.location.href).href;
  var Y = window.Yasgui.default || window.Yasgui;
  Y.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  var yasgui = new Y(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    populateFromUrl: false,
    yasqe: { createShareableLink: null, resizeable: true, editorHeight: "320px" },
    yasr: { pluginOrder: ["table", "response"], defaultPlugin: "table" }
  });
  function load(number) {
    var tab = yasgui.getTab();
    tab.setQuery(questions[number].query);
  }
  select.addEventListener("change", function () { load(select.value); });
  load(0);
  window.spinekgYasgui = yasgui;
})();
