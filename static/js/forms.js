/* Forms that help (loaded by templates/base.html on every page).
 *
 * - A select marked `data-picker` becomes a searchable picker (Tom Select, vendored; fetched only by a
 *   page that has one). "village" pickers (percontohan.forms.VillagePicker) find a village by typing
 *   its name or its code, with or without dots; "multi" pickers are the multi-selects of every form,
 *   usable without Ctrl-click: type, pick, remove with ×. A picker with `data-search-url` asks the
 *   server (regions:village_search) for villages of the regencies chosen in the select named by
 *   `data-regencies-from`, so it follows that choice without reloading the page; elements marked
 *   `data-picker-fallback` (a "show villages" button) are then hidden. "region" pickers
 *   (regions.forms.RegionPicker: the province, regency and kecamatan filters of the lists) come with
 *   only their chosen option and ask the server (regions:region_search) as the user types, narrowed by
 *   the fields of the same form that `data-search-within` names ({"provinsi": "province"}).
 *   Pickers that htmx swaps into the page (a list's filter form) are set up too.
 * - The error summary of a form (templates/includes/form_errors.html) takes the focus, and its links
 *   move the focus to the field they name, picker or not.
 *
 * Without JavaScript every select stays a plain select. No inline scripts or styles (strict CSP): the
 * texts and the library's addresses come from data attributes of this script's element.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var config = script ? script.dataset : {};

  function digitsOf(value) {
    // "63.04.03.2001" → "6304032001": a code is found however it is typed.
    return String(value).replace(/\./g, "");
  }

  function message(className, text) {
    return function (data, escape) {
      return '<div class="' + className + '">' + escape(text || "") + "</div>";
    };
  }

  function chosenValues(select) {
    return Array.prototype.map
      .call(select.selectedOptions, function (option) {
        return option.value;
      })
      .filter(Boolean);
  }

  function narrowingFields(select) {
    // {"provinsi": "province"} → [["provinsi", the form's field named "province"]]
    var within = JSON.parse(select.dataset.searchWithin || "{}");
    return Object.keys(within)
      .map(function (param) {
        return [param, select.form ? select.form.elements.namedItem(within[param]) : null];
      })
      .filter(function (pair) {
        return pair[1];
      });
  }

  function remoteSearch(select) {
    var url = select.dataset.searchUrl;
    var source = document.getElementById(select.dataset.regenciesFrom || "");
    var narrowing = narrowingFields(select);
    return {
      loadThrottle: 250,
      shouldLoad: function (query) {
        return query.trim().length > 0;
      },
      load: function (query, callback) {
        var picker = this;
        var params = new URLSearchParams({ q: query });
        var regencies = source ? chosenValues(source) : [];
        if (source && !regencies.length) {
          // No regency chosen on the page yet: no village of it can be chosen either.
          picker.clearOptions();
          callback([]);
          return;
        }
        regencies.forEach(function (code) {
          params.append("kabupaten", code);
        });
        narrowing.forEach(function (pair) {
          if (pair[1].value) {
            params.append(pair[0], pair[1].value);
          }
        });
        fetch(url + "?" + params.toString(), {
          credentials: "same-origin",
          headers: { Accept: "application/json" }
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            // Only the villages the server found now: none left over from regencies no longer chosen.
            picker.clearOptions();
            data.results.forEach(function (result) {
              result.digits = digitsOf(result.value);
            });
            callback(data.results);
          })
          .catch(function () {
            callback();
          });
      }
    };
  }

  function enhance(select) {
    var plugins = {};
    if (select.multiple) {
      plugins.remove_button = { title: config.textRemove || "×" };
    } else if (!select.required) {
      plugins.clear_button = { title: config.textRemove || "×" };
    }
    var settings = {
      plugins: plugins,
      create: false,
      // One pick at a time: the list closes and the typed text clears, ready for the next search.
      closeAfterSelect: true,
      // Filter as each key is typed (a few hundred options at most): a late refresh would reopen the
      // list after a quick pick.
      refreshThrottle: 0,
      maxOptions: 100,
      searchField: ["text", "digits"],
      // The typing line stays (with its hint) beside the chosen items, also when the picker loses the
      // focus: a form that shrank under the pointer would swallow the click on its submit button.
      placeholder: config.textPlaceholder,
      render: {
        no_results: message("no-results", config.textNoResults),
        loading: message("px-2 py-1 text-body-secondary", config.textLoading)
      },
      onInitialize: function () {
        var options = this.options;
        Object.keys(options).forEach(function (key) {
          options[key].digits = digitsOf(key);
        });
      }
    };
    if (select.dataset.searchUrl) {
      Object.assign(settings, remoteSearch(select));
    }
    // The label will name the picker's own input; the select it replaces stays in the form, out of sight
    // and out of the tab order, and is hidden from screen readers too, or they would meet an unnamed list
    // (hidden first: a browser may keep the name the label gave it before the picker took the label).
    select.setAttribute("aria-hidden", "true");
    var picker = new window.TomSelect(select, settings);
    if (select.dataset.searchUrl) {
      var sources = narrowingFields(select).map(function (pair) {
        return pair[1];
      });
      sources.push(document.getElementById(select.dataset.regenciesFrom || ""));
      sources.forEach(function (source) {
        // What was found in another region is no answer once that choice changes.
        if (source) {
          source.addEventListener("change", function () {
            picker.clearOptions();
          });
        }
      });
      document.querySelectorAll("[data-picker-fallback]").forEach(function (element) {
        element.hidden = true;
      });
    }
  }

  var waitingForTomSelect = null;

  function loadTomSelect(callback) {
    if (window.TomSelect) {
      callback();
      return;
    }
    if (waitingForTomSelect) {
      waitingForTomSelect.push(callback);
      return;
    }
    waitingForTomSelect = [callback];
    var stylesheet = document.createElement("link");
    stylesheet.rel = "stylesheet";
    stylesheet.href = config.tomSelectCss;
    document.head.appendChild(stylesheet);
    var library = document.createElement("script");
    library.src = config.tomSelectJs;
    library.nonce = script ? script.nonce : "";
    library.onload = function () {
      waitingForTomSelect.forEach(function (waiting) {
        waiting();
      });
    };
    document.head.appendChild(library);
  }

  function focusField(id) {
    var field = document.getElementById(id);
    if (!field) {
      return false;
    }
    if (field.tomselect) {
      field.tomselect.wrapper.scrollIntoView({ block: "center" });
      field.tomselect.focus();
    } else {
      field.scrollIntoView({ block: "center" });
      field.focus();
    }
    return true;
  }

  function setUpErrorSummary() {
    var summary = document.getElementById("form-error-summary");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (link && focusField(decodeURIComponent(link.getAttribute("href").slice(1)))) {
        event.preventDefault();
      }
    });
  }

  function setUpPickers(root) {
    var selects = Array.prototype.filter.call(root.querySelectorAll("select[data-picker]"), function (select) {
      return !select.tomselect;
    });
    if (selects.length) {
      loadTomSelect(function () {
        selects.forEach(function (select) {
          if (!select.tomselect) {
            enhance(select);
          }
        });
      });
    }
  }

  function setUp() {
    setUpErrorSummary();
    setUpPickers(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
  // Content htmx swaps in (a list's table with its filter form) gets its pickers too.
  document.addEventListener("htmx:load", function (event) {
    setUpPickers((event.detail && event.detail.elt) || event.target);
  });
})();
