// Small progressive enhancements; every page works without them.
(function () {
  'use strict';
  function ready(fn) { if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn); }
  ready(function () {
    // After a failed submit, focus moves to the first field in error (or the error message).
    var bad = document.querySelector('.field.invalid input, .field.invalid select, .field.invalid textarea, .question.invalid input:not([type=hidden]), .question.invalid textarea, [aria-invalid=true]');
    var msg = document.querySelector('main p.err[role=alert]');
    if (bad) { bad.focus(); } else if (msg) { msg.setAttribute('tabindex', '-1'); msg.focus(); }
    // Demo accounts on the login page fill the form.
    document.querySelectorAll('button.demo-fill').forEach(function (b) {
      b.hidden = false;
      b.addEventListener('click', function () {
        var email = document.getElementById('email'), pw = document.getElementById('password');
        if (email) email.value = b.dataset.email;
        if (pw) { pw.value = 'demo'; }
        var submit = document.querySelector('form button[type=submit]');
        if (submit) submit.focus();
      });
    });
    // Links shown relative to this server become absolute, ready to paste into an e-mail.
    document.querySelectorAll('.abs-url').forEach(function (el) {
      var fix = function (s) { return s.replace(/(^|\s)(\/portal\/open\?token=\S+)/g, function (m, pre, path) { return pre + location.origin + path; }); };
      if (el.tagName === 'TEXTAREA') el.value = fix(el.value); else el.textContent = fix(el.textContent);
    });
    // Copy buttons copy the text of the element named in data-copy.
    document.querySelectorAll('button[data-copy]').forEach(function (b) {
      b.hidden = false;
      b.addEventListener('click', function () {
        var el = document.getElementById(b.dataset.copy);
        if (!el) return;
        var text = (el.value !== undefined && el.tagName === 'TEXTAREA') ? el.value : el.textContent;
        var done = function (ok) {
          var label = b.dataset.label || b.textContent;
          b.dataset.label = label;
          b.textContent = ok ? 'Copied' : 'Select and copy by hand';
          setTimeout(function () { b.textContent = label; }, 2000);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
        } else {
          var r = document.createRange(); r.selectNodeContents(el);
          var s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
          var ok = false; try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
          done(ok);
        }
      });
    });
  });
})();
