// Progressive enhancement only: the form works the same without this file.
// A search box that narrows the long agency list as the resident types (accents optional).
(function () {
  var select = document.getElementById("concerned_agency");
  var box = document.getElementById("agency-filter");
  if (!select || !box) return;
  var fold = function (text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  };
  box.closest(".agency-filter").hidden = false;
  box.addEventListener("input", function () {
    var wanted = fold(box.value.trim());
    Array.prototype.forEach.call(select.options, function (option) {
      option.hidden = wanted !== "" && option.value !== "" && fold(option.text).indexOf(wanted) === -1;
    });
  });
})();

// Show the business fields only for a business, and no identity fields for an anonymous report.
(function () {
  var business = document.querySelector(".business-fields");
  var types = document.querySelectorAll("input[name=filer_type]");
  var anonymous = document.getElementById("anonymous");
  var identity = ["filer_type", "full_name", "phone", "email", "address", "contact_preference"];
  var sync = function () {
    var isBusiness = document.querySelector("input[name=filer_type][value=business]:checked") !== null;
    var hidden = anonymous && anonymous.checked;
    if (business) business.hidden = hidden || !isBusiness;
    identity.forEach(function (name) {
      var field = document.querySelector("[name=" + name + "]");
      var block = field && field.closest(".mb-3");
      if (block) block.hidden = hidden;
    });
  };
  Array.prototype.forEach.call(types, function (input) { input.addEventListener("change", sync); });
  if (anonymous) anonymous.addEventListener("change", sync);
  sync();
})();
