// TidilySpace: small enhancements over pages that work without JavaScript.
// - links marked data-modal open the item modal without a reload (the URL still changes,
//   so reload and back/forward behave as without JavaScript);
// - Esc, the × and a click outside close the modal;
// - the search box and filters refresh the list as you type (debounced).
(function () {
  'use strict';
  var FRAG = 'X-Tidily-Fragment';

  function get(url, kind) {
    var headers = {};
    headers[FRAG] = kind;
    return fetch(url, { headers: headers, credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    });
  }

  function root() { return document.getElementById('modal-root'); }
  var opener = null;

  function focusModal() {
    var m = document.querySelector('.modal');
    if (!m) return;
    var first = m.querySelector('input:not([type=hidden]),select,textarea');
    (first || m).focus();
  }

  function showModal(url, push) {
    var r = root();
    if (!r) { location.href = url; return; }
    get(url, 'modal').then(function (html) {
      r.innerHTML = html;
      if (push) history.pushState({ modal: url }, '', url);
      focusModal();
    }).catch(function () { location.href = url; });
  }

  function closeModal(url, push) {
    var r = root();
    if (!r || !r.firstElementChild) return false;
    r.innerHTML = '';
    if (push && url) history.pushState({}, '', url);
    if (opener && document.contains(opener)) opener.focus();
    return true;
  }

  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a');
    if (a && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) {
      if (a.hasAttribute('data-close-link')) {
        e.preventDefault();
        closeModal(a.getAttribute('href'), true);
        return;
      }
      if (a.hasAttribute('data-modal') && root()) {
        e.preventDefault();
        if (!document.querySelector('.modal')) opener = a;
        showModal(a.getAttribute('href'), true);
        return;
      }
    }
    var b = e.target;
    if (b.classList && b.classList.contains('backdrop')) {
      closeModal(b.getAttribute('data-close'), true);
    }
    // Close open drop-downs when clicking elsewhere.
    document.querySelectorAll('details[data-dropdown][open]').forEach(function (d) {
      if (!d.contains(e.target)) d.removeAttribute('open');
    });
  });

  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var b = document.querySelector('.backdrop');
    if (b) { e.preventDefault(); closeModal(b.getAttribute('data-close'), true); return; }
    document.querySelectorAll('details[data-dropdown][open]').forEach(function (d) { d.removeAttribute('open'); });
  });

  // Keep keyboard focus inside the open modal.
  document.addEventListener('focusin', function (e) {
    var m = document.querySelector('.modal');
    if (m && !m.contains(e.target)) m.focus();
  });

  window.addEventListener('popstate', function () {
    var path = location.pathname;
    if (/^\/items\/(\d+|new)(\/edit)?$/.test(path)) showModal(location.href, false);
    else if (!closeModal(null, false)) return;
  });

  // Live search: refresh #list from the filter form, 250 ms after the last change.
  var form = document.querySelector('form[data-live]');
  var list = document.getElementById('list');
  if (form && list) {
    var timer = null, seq = 0;
    var refresh = function () {
      var params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
      var qs = params.toString();
      var url = form.getAttribute('action') + (qs ? '?' + qs : '');
      var mine = ++seq;
      get(url, 'list').then(function (html) {
        if (mine !== seq) return;
        list.innerHTML = html;
        history.replaceState({}, '', url);
      }).catch(function () {});
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(refresh, 250); };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
  }

  // Drag and drop: an element with data-drag-post is posted, with its data-drag-fields and
  // the data-drop-fields of the target, when dropped on a target. Every drag has a form
  // alternative on the page (keyboard, no JavaScript).
  var dragged = null;
  document.addEventListener('dragstart', function (e) {
    dragged = e.target.closest && e.target.closest('[data-drag-post]');
    if (!dragged) return;
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', dragged.getAttribute('data-drag-post'));
    e.stopPropagation();
  });
  var target = function (e) { return dragged && e.target.closest && e.target.closest('[data-drop-fields]'); };
  document.addEventListener('dragover', function (e) {
    var t = target(e);
    if (!t || dragged.contains(t)) return;
    e.preventDefault();
    t.classList.add('drop-here');
  });
  document.addEventListener('dragleave', function (e) {
    var t = target(e);
    if (t) t.classList.remove('drop-here');
  });
  document.addEventListener('drop', function (e) {
    var t = target(e);
    if (!t || dragged.contains(t)) return;
    e.preventDefault();
    var body = new URLSearchParams(dragged.getAttribute('data-drag-fields') || '');
    new URLSearchParams(t.getAttribute('data-drop-fields')).forEach(function (v, k) { body.set(k, v); });
    body.set('_csrf', document.body.getAttribute('data-csrf') || '');
    fetch(dragged.getAttribute('data-drag-post'), { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function () { location.reload(); });
    dragged = null;
  });

  // Selects that change a view (group by …) apply at once.
  document.querySelectorAll('select[data-autosubmit]').forEach(function (sel) {
    sel.addEventListener('change', function () { sel.form.submit(); });
  });

  if (document.querySelector('.modal')) focusModal();

  // Installable PWA: the worker keeps the assets and an offline page.
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('/sw.js').catch(function () {});
  }
})();
