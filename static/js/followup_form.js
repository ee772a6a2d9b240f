/* The follow-up form (templates/trainings/followup_form.html): a participant who could not be reached
 * has no answers, so the answers' fieldset is hidden while "reached" is unchecked (and its values are
 * not kept: trainings.followups.followup_record clears them). Without JavaScript everything is shown.
 */
(function () {
  "use strict";

  function setUp() {
    document.querySelectorAll("fieldset[data-shown-when]").forEach(function (fieldset) {
      var checkbox = document.getElementById(fieldset.dataset.shownWhen);
      if (!checkbox) {
        return;
      }
      function update() {
        fieldset.hidden = !checkbox.checked;
        fieldset.disabled = !checkbox.checked;
      }
      checkbox.addEventListener("change", update);
      update();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
