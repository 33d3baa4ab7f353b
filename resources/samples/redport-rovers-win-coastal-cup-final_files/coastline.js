window.coastline = window.coastline || {};
coastline.liveScores = function () {
  // Polls the scores service on live match pages only.
  return document.body.dataset.live === 'true';
};
document.addEventListener('DOMContentLoaded', function () {
  var c = document.getElementById('consent');
  var b = document.getElementById('consent-ok');
  if (c && b) b.onclick = function () { c.style.display = 'none'; };
});
