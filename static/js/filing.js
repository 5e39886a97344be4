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
