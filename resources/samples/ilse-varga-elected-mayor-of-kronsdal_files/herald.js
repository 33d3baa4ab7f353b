document.addEventListener('DOMContentLoaded', function () {
  var share = document.querySelectorAll('.share a');
  share.forEach(function (a) {
    a.addEventListener('click', function (ev) {
      ev.preventDefault();
      window.open(a.href, 'share', 'width=600,height=400');
    });
  });
});
