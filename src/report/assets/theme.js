// Runs in the page head: the stored theme, else the system's, before the first paint.
(function () {
  var theme = null;
  try { theme = window.localStorage.getItem('leanscope-theme'); } catch (e) { /* file:// may forbid storage */ }
  if (theme !== 'light' && theme !== 'dark') {
    theme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  document.documentElement.setAttribute('data-theme', theme);
})();
