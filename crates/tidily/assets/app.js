// TidilySpace: small enhancements over pages that work without JavaScript.
// - links marked data-modal open the item modal without a reload (the URL still changes,
//   so reload and back/forward behave as without JavaScript);
// - Esc, the × and a click outside close the modal;
// - the search box and filters refresh the list as you type (debounced);
// - lists load their next page as you scroll to it;
// - items and folders are dragged into place; ↑/↓ buttons move a row without a reload;
// - a folder of the tree loads its items when it is opened.
(function () {
  'use strict';
  var FRAG = 'X-Tidily-Fragment';

  function get(url, kind) {
    var headers = {};
    headers[FRAG] = kind;
    return fetch(url, { headers: headers, credentials: 'same-origin' }).then(function (r) {
      // A redirect is the log-in page (the session ended), never the fragment asked for.
      if (!r.ok || r.redirected) throw new Error(r.status);
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

  // Infinite scroll: when a list's "next page" link comes into view, the next rows are
  // fetched (fragment "rows": the rows and the pager after them) and appended, and the pager
  // is replaced. Without JavaScript, or if the fetch fails, the link opens the next page.
  // Appended rows keep form="bulk" on their check boxes, so bulk actions include them.
  var more = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (en) { if (en.isIntersecting) loadMore(en.target); });
  }, { rootMargin: '600px 0px' }) : null;
  function watchMore() {
    if (!more) return;
    more.disconnect();
    var a = document.querySelector('#list a[data-more]');
    if (a) more.observe(a);
  }
  function loadMore(a) {
    more.unobserve(a);
    var ul = document.querySelector('#list ul.items');
    var pager = a.closest('.pager');
    if (!ul || !pager) return;
    get(a.getAttribute('href'), 'rows').then(function (html) {
      if (!document.contains(pager)) return; // a live search replaced the list meanwhile
      var t = document.createElement('template');
      t.innerHTML = html;
      var rows = t.content.querySelector('ul');
      while (rows && rows.firstElementChild) ul.appendChild(rows.firstElementChild);
      var next = t.content.querySelector('.pager');
      if (next) pager.replaceWith(next);
      watchMore();
    }).catch(function () {});
  }
  watchMore();

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
        watchMore();
      }).catch(function () {});
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(refresh, 250); };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
  }

  // The tree: a folder's <details> (or a profile's items in no folder) carries the URL of
  // its items (data-items); the first time it opens they are fetched (fragment "tree") and
  // put after the folder's tools, before its sub-folders. Meanwhile it says they are loading;
  // if they cannot be loaded it says so, with a button to try again (its "View all" link
  // opens the full list either way). Drag and drop and the ↑/↓ buttons below listen on the
  // document, so the inserted rows work like any other.
  function show(slot, id) {
    var t = document.getElementById(id);
    slot.textContent = '';
    if (t) slot.appendChild(t.content.cloneNode(true));
  }
  function loadItems(d) {
    if (d.hasAttribute('data-state')) return; // loading, or loaded
    var slot = d.querySelector(':scope > .tree-slot');
    if (!slot) {
      slot = document.createElement('div');
      slot.className = 'tree-slot';
      d.insertBefore(slot, d.querySelector(':scope > ul'));
    }
    d.setAttribute('data-state', 'loading');
    d.setAttribute('aria-busy', 'true');
    show(slot, 'tree-loading');
    get(d.getAttribute('data-items'), 'tree').then(function (html) {
      slot.innerHTML = html;
      d.setAttribute('data-state', 'loaded');
    }, function () {
      show(slot, 'tree-failed');
      d.removeAttribute('data-state');
    }).then(function () { d.removeAttribute('aria-busy'); });
  }
  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (d.open && d.hasAttribute && d.hasAttribute('data-items')) loadItems(d);
  }, true); // toggle does not bubble
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('button[data-retry]');
    var d = b && b.closest('details[data-items]');
    if (!d) return;
    d.querySelector('summary').focus(); // the button goes away
    loadItems(d);
  });

  // After a move the page reloads; the folders that were open open again.
  var OPEN = 'tidily-tree-open';
  function keepOpen() {
    var open = Array.prototype.map.call(document.querySelectorAll('details[data-items][open]'), function (d) {
      return d.getAttribute('data-items');
    });
    try {
      if (open.length) sessionStorage.setItem(OPEN, JSON.stringify({ page: location.pathname + location.search, open: open }));
    } catch (e) { /* storage unavailable: they stay closed */ }
  }
  function reload() {
    keepOpen();
    location.reload();
  }
  (function reopen() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(OPEN));
      sessionStorage.removeItem(OPEN);
    } catch (e) { /* nothing kept */ }
    var page = location.pathname + location.search;
    document.querySelectorAll('details[data-items]').forEach(function (d) {
      if (saved && saved.page === page && saved.open.indexOf(d.getAttribute('data-items')) >= 0) d.open = true;
      if (d.open) loadItems(d);
    });
  })();

  function post(url, body) {
    var headers = {};
    headers[FRAG] = 'move';
    body.set('_csrf', document.body.getAttribute('data-csrf') || '');
    return fetch(url, { method: 'POST', body: body, headers: headers, credentials: 'same-origin' });
  }

  // Drag and drop: an element with data-drag-post is posted, with its data-drag-fields and
  // the target's data-drop-fields (its data-drop-lower when dropped on the lower half of a
  // target that has them), when dropped on a target. A target with data-drop-scope accepts
  // only elements whose data-drag-scope lists that scope (an item re-orders within its
  // folder, a folder never lands on an item). Every drag has a form alternative on the page
  // (keyboard, no JavaScript).
  var dragged = null, marked = null;
  function target(e) {
    var t = dragged && e.target.closest && e.target.closest('[data-drop-fields]');
    if (!t || dragged.contains(t)) return null;
    var scope = t.getAttribute('data-drop-scope');
    var mine = (dragged.getAttribute('data-drag-scope') || '').split(' ');
    return !scope || mine.indexOf(scope) >= 0 ? t : null;
  }
  function lower(t, e) {
    if (!t.hasAttribute('data-drop-lower')) return false;
    var r = t.getBoundingClientRect();
    return e.clientY > r.top + r.height / 2;
  }
  function mark(t, e) {
    if (marked && marked !== t) marked.classList.remove('drop-here', 'drop-after');
    marked = t;
    if (t) { t.classList.add('drop-here'); t.classList.toggle('drop-after', lower(t, e)); }
  }
  document.addEventListener('dragstart', function (e) {
    dragged = e.target.closest && e.target.closest('[data-drag-post]');
    if (!dragged) return;
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', dragged.getAttribute('data-drag-post'));
    dragged.classList.add('dragging');
    e.stopPropagation();
  });
  document.addEventListener('dragend', function () {
    if (dragged) dragged.classList.remove('dragging');
    mark(null);
    dragged = null;
  });
  document.addEventListener('dragover', function (e) {
    var t = target(e);
    mark(t, e);
    if (t) e.preventDefault();
  });
  document.addEventListener('drop', function (e) {
    var t = target(e), d = dragged;
    if (!t) return;
    e.preventDefault();
    var after = lower(t, e);
    var body = new URLSearchParams(d.getAttribute('data-drag-fields') || '');
    new URLSearchParams(t.getAttribute(after ? 'data-drop-lower' : 'data-drop-fields')).forEach(function (v, k) { body.set(k, v); });
    mark(null);
    post(d.getAttribute('data-drag-post'), body).then(function (r) {
      // A row dropped on a row of the same list moves in place; anything else reloads.
      if (r.ok && t.hasAttribute('data-drop-lower') && t.parentNode === d.parentNode) {
        t.parentNode.insertBefore(d, after ? t.nextSibling : t);
      } else reload();
    }).catch(reload);
  });

  // The ↑/↓ buttons of an item's row (in a .reorder form, or a .reorder group of buttons
  // that submit a shared form with their own formaction) move it without a reload, so
  // keyboard focus stays on the button. The server says which item it stepped over; if that
  // is not the row shown next to it (a filter hides rows), the page reloads to show the
  // true order.
  document.addEventListener('submit', function (e) {
    var f = e.target, b = e.submitter;
    var g = b && b.closest('.reorder');
    if (!g) {
      if (f.id === 'mv') keepOpen(); // a folder's ↑/↓: the tree comes back
      return;
    }
    e.preventDefault();
    var li = g.closest('li');
    var up = b === g.querySelector('button');
    var other = up ? li.previousElementSibling : li.nextElementSibling;
    var body = new URLSearchParams(new FormData(f));
    body.set(b.name, b.value);
    post(b.getAttribute('formaction') || f.getAttribute('action'), body).then(function (r) {
      var over = r.headers.get('X-Tidily-Stepped-Over');
      if (!r.ok) reload();
      else if (!over) return; // already first or last
      else if (other && other.getAttribute('data-drag-post') === '/items/' + over + '/move') {
        li.parentNode.insertBefore(up ? li : other, up ? other : li);
        b.focus();
      } else reload();
    }).catch(reload);
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
