(function () {
  var banner = document.querySelector('.cookie-banner');
  var accept = document.getElementById('cookie-accept');
  if (banner && accept) {
    accept.addEventListener('click', function () {
      document.cookie = 'mc_consent=1; max-age=31536000; path=/';
      banner.hidden = true;
    });
  }
})();
