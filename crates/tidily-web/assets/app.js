// TidilySpace: small enhancements over pages that work without JavaScript.
// htmx (vendor/htmx.min.js) fetches the fragments named by the hx-* attributes of the
// templates: the item modal, the live search, the next page of a list, a tree folder's items.
// SortableJS (vendor/Sortable.min.js) drags items and folders, with a mouse or a finger.
// This file does the rest:
// - the modal: focus kept in it, closed by Esc, × or a click outside, back/forward;
// - the tree: "Loading…", "could not be loaded / Try again", folders re-opened after a reload;
// - what a drop posts, and the ↑/↓ buttons that move a row without a reload.
(function () {
  'use strict';
  var htmx = window.htmx;
  if (!htmx) return; // the pages work without it

  function root() { return document.getElementById('modal-root'); }
  function isModal(el) { return el && el.id === 'modal-root'; }
  var opener = null;

  function focusModal() {
    var m = document.querySelector('.modal');
    if (!m) return;
    var first = m.querySelector('input:not([type=hidden]),select,textarea');
    (first || m).focus();
  }

  // Opens the modal of `url` without adding a history entry (back/forward).
  function showModal(url) {
    if (!root()) { location.href = url; return; }
    htmx.ajax('GET', url, { target: '#modal-root', swap: 'innerHTML' }).catch(function () { location.href = url; });
  }

  function closeModal(url, push) {
    var r = root();
    if (!r || !r.firstElementChild) return false;
    r.innerHTML = '';
    if (push && url) history.pushState({}, '', url);
    if (opener && document.contains(opener)) opener.focus();
    return true;
  }

  // A click with a modifier opens the link as the browser would (new tab, window), not in htmx.
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[hx-get]');
    if (a && (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0)) e.stopPropagation();
  }, true);

  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a');
    if (a && a.hasAttribute('data-close-link') && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) {
      e.preventDefault();
      closeModal(a.getAttribute('href'), true);
      return;
    }
    var b = e.target;
    if (b.classList && b.classList.contains('backdrop')) {
      closeModal(b.getAttribute('data-close'), true);
    }
    // Close open drop-downs when clicking elsewhere.
    document.querySelectorAll('details[data-dropdown][open]').forEach(function (d) {
      if (!d.contains(e.target)) d.removeAttribute('open');
    });
    // A tree folder whose items could not be loaded: "Try again".
    var retry = e.target.closest && e.target.closest('button[data-retry]');
    var d = retry && retry.closest('details[hx-get]');
    if (d) {
      d.querySelector('summary').focus(); // the button goes away
      htmx.trigger(d, 'retry');
    }
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

  // Back/forward: the modal's URL opens it, any other closes it. htmx keeps no copies of
  // pages (they are private; historyCacheSize 0), so it would fetch the whole page into the
  // body: that is not needed here.
  document.addEventListener('htmx:historyCacheMiss', function (e) { e.preventDefault(); });
  window.addEventListener('popstate', function () {
    if (/^\/items\/(\d+|new)(\/edit)?$/.test(location.pathname)) showModal(location.href);
    else closeModal(null, false);
  });

  // The modal's links go to the modal's page where there is no modal root (the dashboard…).
  document.addEventListener('htmx:targetError', function (e) {
    var a = e.detail.elt;
    if (a.href) location.href = a.href;
  });

  // The tree: a folder's items load the first time it opens (hx-trigger "toggle once").
  // Meanwhile it says so; if they cannot be loaded it says that, with a button to try again
  // (its "View all" link opens the full list either way).
  function slot(d) { return d.querySelector(':scope > .tree-slot'); }
  function show(d, id) {
    var s = slot(d), t = document.getElementById(id);
    s.textContent = '';
    if (t) s.appendChild(t.content.cloneNode(true));
  }
  function folder(e) {
    var d = e.detail.elt;
    return d.matches && d.matches('details[hx-get]') ? d : null;
  }

  document.addEventListener('htmx:beforeRequest', function (e) {
    if (isModal(e.detail.target) && !document.querySelector('.modal')) opener = e.detail.elt;
    var d = folder(e);
    if (d) {
      d.setAttribute('data-state', 'loading');
      d.setAttribute('aria-busy', 'true');
      show(d, 'tree-loading');
    }
  });
  document.addEventListener('htmx:beforeSwap', function (e) {
    var x = e.detail.xhr, asked = e.detail.pathInfo && e.detail.pathInfo.finalRequestPath;
    // A redirect is the log-in page (the session ended), never the fragment asked for.
    if (x && x.responseURL && asked && new URL(x.responseURL).pathname !== new URL(asked, location.href).pathname) {
      e.detail.shouldSwap = false;
      e.detail.isError = true;
    }
    // An answer for a part of the page that is gone (a live search replaced the list) is dropped.
    if (!document.contains(e.detail.target)) e.detail.shouldSwap = false;
  });
  document.addEventListener('htmx:afterSwap', function (e) {
    if (isModal(e.detail.target)) focusModal();
  });
  document.addEventListener('htmx:afterRequest', function (e) {
    var d = folder(e), ok = e.detail.successful === true;
    if (d) {
      d.removeAttribute('aria-busy');
      if (ok) d.setAttribute('data-state', 'loaded');
      else { show(d, 'tree-failed'); d.removeAttribute('data-state'); }
    } else if (!ok && isModal(e.detail.target) && e.detail.pathInfo) {
      location.href = e.detail.pathInfo.requestPath; // the page says what went wrong
    }
  });

  // Live search: the query string is the one the form itself would send (so the URL that
  // follows it is the same as without JavaScript), less the empty fields.
  document.addEventListener('htmx:configRequest', function (e) {
    if (e.detail.verb !== 'get') return;
    var fd = e.detail.formData, q = new URLSearchParams(), keys = [];
    fd.forEach(function (v, k) { keys.push(k); if (v !== '') q.append(k, v); });
    keys.forEach(function (k) { fd.delete(k); });
    if (q.toString()) e.detail.path += (e.detail.path.indexOf('?') < 0 ? '?' : '&') + q;
  });

  // After a move the page reloads; the folders that were open open again.
  var OPEN = 'tidily-tree-open';
  function keepOpen() {
    var open = Array.prototype.map.call(document.querySelectorAll('details[hx-get][open]'), function (d) {
      return d.getAttribute('hx-get');
    });
    try {
      if (open.length) sessionStorage.setItem(OPEN, JSON.stringify({ page: location.pathname + location.search, open: open }));
    } catch (e) { /* storage unavailable: they stay closed */ }
  }
  function reload() {
    keepOpen();
    location.reload();
  }
  function reopen() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(OPEN));
      sessionStorage.removeItem(OPEN);
    } catch (e) { /* nothing kept */ }
    if (!saved || saved.page !== location.pathname + location.search) return;
    document.querySelectorAll('details[hx-get]').forEach(function (d) {
      if (saved.open.indexOf(d.getAttribute('hx-get')) >= 0) d.open = true; // "toggle": htmx loads
    });
  }

  function post(url, body) {
    body.set('_csrf', document.body.getAttribute('data-csrf') || '');
    return fetch(url, { method: 'POST', body: body, headers: { 'HX-Request': 'true' }, credentials: 'same-origin' });
  }
  function add(body, fields) {
    new URLSearchParams(fields || '').forEach(function (v, k) { body.set(k, v); });
  }

  // Drag and drop (SortableJS). An element with data-drag-post is posted with its
  // data-drag-fields and the fields of where it was dropped:
  // - on a target that is not a row (a folder's name, a profile's heading, a board column),
  //   that target's data-drop-fields; the page then reloads to show the result;
  // - among rows (elements with data-drop-lower, which Sortable re-orders as they are
  //   dragged): the data-drop-fields ("before") of the row now after it, or the
  //   data-drop-lower ("after") of the row now before it. The 204 leaves it in place; a row
  //   that went into another list (another folder of the tree) reloads the page.
  // A target or row with data-drop-scope takes only elements whose data-drag-scope lists
  // that scope (a row re-orders within its folder, a folder never lands on an item). On a
  // touch screen a drag starts after a short press, so a swipe still scrolls. Every drag has
  // a form alternative on the page (keyboard, no JavaScript).
  var drag = null; // { el, marked }
  function accepts(t, el) {
    var scope = t.getAttribute('data-drop-scope');
    return !scope || (el.getAttribute('data-drag-scope') || '').split(' ').indexOf(scope) >= 0;
  }
  function targetAt(el, x, y) {
    var at = document.elementFromPoint(x, y);
    var t = at && at.closest('[data-drop-fields]');
    if (!t || t.hasAttribute('data-drop-lower') || el.contains(t) || t.contains(el)) return null;
    return accepts(t, el) ? t : null;
  }
  function mark(t) {
    if (!drag) return;
    if (drag.marked && drag.marked !== t) drag.marked.classList.remove('drop-here');
    drag.marked = t;
    if (t) t.classList.add('drop-here');
  }
  function point(e) {
    var p = e && (e.changedTouches ? e.changedTouches[0] : e.touches ? e.touches[0] : e);
    return p && typeof p.clientX === 'number' ? p : null;
  }
  function track(e) {
    var p = drag && point(e);
    if (p) mark(targetAt(drag.el, p.clientX, p.clientY));
  }
  ['pointermove', 'touchmove', 'mousemove'].forEach(function (type) {
    document.addEventListener(type, track, { passive: true });
  });
  // While something is dragged, a finger moves it instead of scrolling the page.
  document.addEventListener('touchmove', function (e) {
    if (drag && e.cancelable) e.preventDefault();
  }, { passive: false });

  function row(el, dir) {
    var r = el[dir];
    while (r && !r.hasAttribute('data-drag-post')) r = r[dir];
    return r && r.hasAttribute('data-drop-lower') && accepts(r, el) ? r : null;
  }
  function dropped(e) {
    var d = drag, el = e.item, p = point(e.originalEvent);
    var t = p ? targetAt(el, p.clientX, p.clientY) : d && d.marked;
    mark(null);
    drag = null;
    var url = el.getAttribute('data-drag-post');
    var body = new URLSearchParams(el.getAttribute('data-drag-fields') || '');
    if (t) {
      add(body, t.getAttribute('data-drop-fields'));
      post(url, body).then(reload, reload);
      return;
    }
    if (e.from === e.to && e.oldIndex === e.newIndex) return; // back where it was
    var next = row(el, 'nextElementSibling'), prev = row(el, 'previousElementSibling');
    if (!next && !prev) { reload(); return; }
    add(body, next ? next.getAttribute('data-drop-fields') : prev.getAttribute('data-drop-lower'));
    post(url, body).then(function (r) {
      if (!r.ok || e.from !== e.to) reload();
    }, reload);
  }

  var lists = 0;
  function sortables(top) {
    var Sortable = window.Sortable;
    if (!Sortable || !top.querySelectorAll) return;
    var els = Array.prototype.slice.call(top.querySelectorAll('[data-drag-post]'));
    if (top.matches('[data-drag-post]')) els.push(top);
    els.forEach(function (el) {
      var list = el.parentElement;
      if (!list || Sortable.get(list)) return;
      // Rows re-order in place (and, in the tree, move between the opened folders of a
      // profile: one group by scope); other elements are only dropped on targets.
      var rows = !!list.querySelector(':scope > [data-drop-lower]');
      var scope = el.getAttribute('data-drop-scope');
      Sortable.create(list, {
        draggable: '[data-drag-post]',
        filter: 'input,button,select,textarea,label',
        preventOnFilter: false,
        forceFallback: true, // the same pointer-driven drag for mouse and touch
        fallbackTolerance: 4,
        delay: 200,
        delayOnTouchOnly: true,
        touchStartThreshold: 6,
        animation: 120,
        sort: rows,
        group: rows ? scope : { name: 'drag-' + (++lists), pull: false, put: false },
        ghostClass: 'dragging',
        onChoose: function (e) { drag = { el: e.item, marked: null }; },
        onUnchoose: function (e) {
          // A press without a drag: nothing to drop (onEnd, when it comes, runs first).
          setTimeout(function () { if (drag && drag.el === e.item) { mark(null); drag = null; } }, 0);
        },
        onMove: function (e) { return accepts(e.related, e.dragged); },
        onEnd: dropped,
      });
    });
  }

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

  // New content (the page, or a fragment htmx put in): its drags; the page: its tree.
  htmx.onLoad(function (el) {
    sortables(el);
    if (el === document.body) reopen();
  });

  // The reader view: back to where the reading stopped; how far it got is kept as it is
  // scrolled (at most once a second) and when the page is left.
  var reader = document.querySelector('article.reader[data-progress-post]');
  if (reader) {
    var scrollable = function () { return document.documentElement.scrollHeight - window.innerHeight; };
    var sent = Number(reader.getAttribute('data-progress')) || 0;
    if (sent > 0 && sent < 100) window.scrollTo(0, scrollable() * sent / 100);
    var timer = null;
    var save = function () {
      timer = null;
      var h = scrollable();
      var p = h > 0 ? Math.round(Math.min(1, Math.max(0, window.scrollY / h)) * 100) : 100;
      if (p === sent) return;
      sent = p;
      var body = new URLSearchParams();
      body.set('percent', String(p));
      post(reader.getAttribute('data-progress-post'), body).catch(function () {});
    };
    window.addEventListener('scroll', function () { if (!timer) timer = setTimeout(save, 1000); }, { passive: true });
    document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') save(); });
  }

  if (document.querySelector('.modal')) focusModal();

  // Installable PWA: the worker keeps the assets and an offline page.
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('/sw.js').catch(function () {});
  }
})();
