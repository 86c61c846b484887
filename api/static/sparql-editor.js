// The SPARQL page's editor: YASGUI (npm @zazuko/yasgui, served from /static/vendor/yasgui/) over
// the page's plain form. The page loads this file only when YASGUI is installed; without
// JavaScript, or if YASGUI fails to start, the form stays as it is. Everything it asks goes to
// this site's own /sparql: no prefix.cc, no Linked Open Vocabularies, no other endpoint.
(function () {
  "use strict";
  var form = document.querySelector("form.editor");
  var holder = document.getElementById("yasgui");
  var downloads = document.getElementById("editor-downloads");
  var source = document.getElementById("editor-config");
  if (!form || !holder || !downloads || !source || typeof window.Yasgui !== "function") {
    return;
  }
  var config = JSON.parse(source.textContent);
  var textarea = form.querySelector("textarea");
  var Yasgui = window.Yasgui;
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var prefixLines = Object.keys(config.prefixes).map(function (p) {
    return p + ": <" + config.prefixes[p] + ">";
  });

  function pageLink(query) {
    var url = new URL(config.page, window.location.href);
    url.searchParams.set("query", query);
    if (config.lang !== "da") url.searchParams.set("lang", config.lang);
    return url.href;
  }

  // Prefix completion from the service's own prefixes; the class and property completers
  // (which ask lov.linkeddata.es) are left off.
  Yasgui.Yasqe.forkAutocompleter("prefixes", { name: "servicePrefixes", persistenceId: null, get: prefixLines }, false);

  var yasgui;
  try {
    yasgui = new Yasgui(holder, {
      persistenceId: null, // every page opens the query it shows, not an old session's tabs
      populateFromUrl: false,
      autofocus: false,
      tabName: config.tab,
      copyEndpointOnNewTab: true,
      requestConfig: { endpoint: endpoint, method: "POST" },
      endpointCatalogueOptions: {
        getData: function () {
          return [{ endpoint: endpoint }];
        },
        keys: [],
      },
      yasqe: {
        value: textarea.value,
        autocompleters: ["servicePrefixes", "variables"],
        persistenceId: null,
        createShareableLink: function (yasqe) {
          return pageLink(yasqe.getValue());
        },
      },
      yasr: { prefixes: config.prefixes, persistenceId: null },
    });
  } catch (error) {
    console.error("YASGUI did not start; the plain form stays", error);
    return;
  }
  window.epkgEditor = yasgui; // for the browser tests and the curious
  form.hidden = true;
  holder.hidden = false;

  // Names for YASGUI's controls that come without one (axe-core checks every page), kept as
  // YASGUI redraws them.
  function name(selector, label) {
    holder.querySelectorAll(selector).forEach(function (el) {
      if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", label);
    });
  }
  function label() {
    name("input.autocomplete", config.labels.endpoint);
    name(".CodeMirror textarea", config.labels.query);
    name("select.tableSizer", config.labels.pageSize);
    holder.querySelectorAll("table.dataTable thead th:first-child .dt-column-title").forEach(function (el) {
      if (!el.textContent) el.textContent = "#"; // the row numbers' column
    });
  }
  new MutationObserver(label).observe(holder, { childList: true, subtree: true });
  label();

  // The answer in every format /sparql offers for the query's form, as plain links.
  function showDownloads() {
    var tab = yasgui.getTab();
    if (!tab) return;
    var yasqe = tab.getYasqe();
    var query = yasqe.getValue();
    var type = yasqe.getQueryType();
    var formats = config.formats[type === "CONSTRUCT" || type === "DESCRIBE" ? "graph" : "results"];
    downloads.textContent = config.labels.downloads + ": ";
    formats.forEach(function (format, i) {
      var short = format[0];
      if (i > 0) downloads.appendChild(document.createTextNode(" · "));
      var link = document.createElement("a");
      var url = new URL(config.endpoint, window.location.href);
      url.searchParams.set("query", query);
      url.searchParams.set("format", short);
      link.href = url.href;
      link.dataset.format = short;
      link.textContent = format[1];
      downloads.appendChild(link);
    });
    downloads.hidden = false;
  }

  // Results of the plain form (a link to /query?query=…) give way to the editor's own once it runs.
  yasgui.on("query", function () {
    ["page-results", "page-error"].forEach(function (id) {
      var section = document.getElementById(id);
      if (section) section.hidden = true;
    });
  });
  // Kept up with the text as it is typed, in whichever tab is open.
  var pending;
  var watched = typeof WeakSet === "function" ? new WeakSet() : null;
  function watch() {
    var tab = yasgui.getTab();
    var yasqe = tab && tab.getYasqe();
    if (yasqe && watched && !watched.has(yasqe)) {
      watched.add(yasqe);
      yasqe.on("change", function () {
        window.clearTimeout(pending);
        pending = window.setTimeout(showDownloads, 250);
      });
    }
    showDownloads();
  }
  yasgui.on("tabSelect", function () {
    window.setTimeout(watch, 0);
  });
  yasgui.on("tabAdd", function () {
    window.setTimeout(watch, 0);
  });
  watch();
})();
