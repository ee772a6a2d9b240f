/* The attendance and scores sheets (templates/trainings/attendance_sheet.html, scores_sheet.html).
 *
 * Each cell saves itself through htmx (hx-post on its select or input, answered with the cell). This
 * script adds what a sheet needs on top:
 * - the arrow keys move between cells (left and right inside a score only once the caret is at its
 *   end), Enter moves down a score column, so a column is filled in without the mouse;
 * - on the attendance sheet a mark is chosen by its letter: H (Hadir), T (Terlambat), I (Izin),
 *   A (Tidak hadir, absen); Delete or Backspace clears the cell; Alt+↓ still opens the list;
 * - a cell changed again while its last change is still being saved is not lost: htmx would drop that
 *   second request, so the new value waits and is sent (with the version the first save returned) as
 *   soon as the saved cell is back;
 * - a save that fails (the connection, the server, a login that has expired) says so in the status
 *   line and marks the cell, instead of leaving it looking saved.
 *
 * No inline scripts (strict CSP): the texts come from this script's data attributes.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var texts = script ? script.dataset : {};
  var LETTERS = { h: "hadir", t: "terlambat", i: "izin", a: "absen", delete: "", backspace: "" };

  function inputOf(cell) {
    return cell ? cell.querySelector("select.sheet-input, input.sheet-input") : null;
  }

  function neighbour(input, rowStep, columnStep) {
    var cell = input.closest("td");
    var row = cell.parentElement;
    if (rowStep) {
      var rows = row.parentElement.rows;
      for (var r = row.sectionRowIndex + rowStep; r >= 0 && r < rows.length; r += rowStep) {
        var below = inputOf(rows[r].cells[cell.cellIndex]);
        if (below) return below;
      }
      return null;
    }
    for (var c = cell.cellIndex + columnStep; c >= 0 && c < row.cells.length; c += columnStep) {
      var beside = inputOf(row.cells[c]);
      if (beside) return beside;
    }
    return null;
  }

  function caretAt(input, end) {
    if (input.selectionStart !== input.selectionEnd) return false;
    return end ? input.selectionEnd === input.value.length : input.selectionStart === 0;
  }

  function step(event, input) {
    var isSelect = input.tagName === "SELECT";
    switch (event.key) {
      case "ArrowUp":
        return [-1, 0];
      case "ArrowDown":
        return [1, 0];
      case "ArrowLeft":
        return isSelect || caretAt(input, false) ? [0, -1] : null;
      case "ArrowRight":
        return isSelect || caretAt(input, true) ? [0, 1] : null;
      case "Enter":
        return isSelect ? null : [event.shiftKey ? -1 : 1, 0];
      default:
        return null;
    }
  }

  function onKeydown(event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("sheet-input")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var move = step(event, input);
    if (move) {
      var target = neighbour(input, move[0], move[1]);
      if (target) {
        // Leaving the input saves what was typed (its change event).
        event.preventDefault();
        target.focus();
        if (target.tagName === "INPUT") target.select();
      } else if (input.tagName === "SELECT") {
        event.preventDefault(); // at the edge of the sheet an arrow must not change the mark
      }
      // In an input at the edge, Enter keeps its own meaning: it saves what was typed.
      return;
    }
    if (input.tagName !== "SELECT" || event.shiftKey) return;
    var value = LETTERS[event.key.toLowerCase()];
    if (value === undefined) return;
    event.preventDefault();
    if (input.value !== value) {
      input.value = value;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function report(element, text) {
    var status = document.getElementById("sheet-status");
    if (status && text) status.textContent = text;
    var cell = element && element.closest ? element.closest("td") : null;
    if (cell) cell.classList.add("sheet-cell-error");
  }

  function inSheet(event) {
    var element = event.detail && event.detail.elt;
    return element && element.closest && element.closest(".sheet");
  }

  // Values chosen while their cell was being saved, by the id of the cell's input.
  var waiting = {};

  function holdWhileSaving(event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("sheet-input")) return;
    if (!input.classList.contains("htmx-request")) return;
    event.stopPropagation(); // before htmx sees it
    waiting[input.id] = input.value;
  }

  function sendWaiting() {
    Object.keys(waiting).forEach(function (id) {
      var input = document.getElementById(id);
      if (!input || input.classList.contains("htmx-request")) return;
      var value = waiting[id];
      delete waiting[id];
      if (input.value !== value) {
        input.value = value;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  document.addEventListener("keydown", onKeydown);
  document.addEventListener("change", holdWhileSaving, true);
  document.body.addEventListener("htmx:afterSettle", sendWaiting);
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (!inSheet(event)) return;
    var xhr = event.detail.xhr;
    var asked = new URL(event.detail.requestConfig.path, window.location.href).pathname;
    // Sent to the login page: the answer is that page, not the cell.
    if (xhr.responseURL && new URL(xhr.responseURL).pathname !== asked) {
      event.detail.shouldSwap = false;
      report(event.detail.elt, texts.textLoggedOut);
    }
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    if (inSheet(event)) report(event.detail.elt, texts.textFailed);
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    if (inSheet(event)) report(event.detail.elt, texts.textFailed);
  });
})();
