/* page.js: what scripting adds to a roofline page; without it the page is complete (tables and
 * charts are plain HTML and SVG). It adds:
 * - tooltips on every chart element that carries data-tip, on hover and on keyboard focus;
 * - toggles per series family (precision, ISA, level, machine...) from the chart's data-tags;
 * - sortable tables (class "sortable") and a text filter (class "filterable"), a "flagged only"
 *   switch where rows are flagged;
 * - on a site index (table class "pickable"), two rows picked side by side.
 * No network, no external file, no storage. */
(function () {
  'use strict';

  /* ---- tooltips ---- */
  var tip = document.createElement('div');
  tip.id = 'tip';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  document.body.appendChild(tip);

  function tipText(el) {
    return el.getAttribute('data-tip') || el.getAttribute('aria-label') || '';
  }

  function showTip(el, x, y) {
    tip.textContent = tipText(el);
    tip.hidden = false;
    var w = tip.offsetWidth;
    var h = tip.offsetHeight;
    var left = Math.min(x + 14, window.innerWidth - w - 8);
    var top = y + 16 + h > window.innerHeight ? y - h - 12 : y + 16;
    tip.style.left = Math.max(4, left) + 'px';
    tip.style.top = Math.max(4, top) + 'px';
  }

  function hideTip() {
    tip.hidden = true;
  }

  document.addEventListener('mouseover', function (e) {
    var el = e.target.closest && e.target.closest('[data-tip]');
    if (el) showTip(el, e.clientX, e.clientY);
  });
  document.addEventListener('mouseout', function (e) {
    var el = e.target.closest && e.target.closest('[data-tip]');
    if (el && !(e.relatedTarget && el.contains(e.relatedTarget))) hideTip();
  });
  document.addEventListener('focusin', function (e) {
    var el = e.target.closest && e.target.closest('[data-tip]');
    if (!el) return;
    var r = el.getBoundingClientRect();
    showTip(el, r.left + r.width / 2, r.top + r.height / 2);
  });
  document.addEventListener('focusout', hideTip);
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') hideTip();
  });

  /* ---- the embedded document as a file: a link in the footer ---- */
  var data = document.getElementById('roofline-data');
  var foot = document.querySelector('footer p');
  if (data && foot && window.Blob && window.URL && URL.createObjectURL) {
    var link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([data.textContent], { type: 'application/json' }));
    link.download = 'roofline-' + document.body.className.replace(/^page-/, '') + '.json';
    link.id = 'data-link';
    link.textContent = 'Download the embedded JSON.';
    foot.appendChild(document.createTextNode(' '));
    foot.appendChild(link);
  }

  /* ---- a link to a section inside a closed <details> (a fleet node's roofline) opens it ---- */
  function openTarget() {
    var t = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    for (; t; t = t.parentElement) if (t.tagName === 'DETAILS') t.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();

  /* ---- toggles: one fieldset per tag family, one checkbox per value ---- */
  var FAMILY_NAMES = {
    precision: 'Precision', isa: 'ISA / path', level: 'Memory level', kind: 'Kind',
    machine: 'Machine', bound: 'Bound', op: 'Operator', core: 'Core type', roof: 'Roof'
  };

  function tagsOf(el) {
    return (el.getAttribute('data-tags') || '').split(' ').filter(Boolean);
  }

  function setupToggles(fig) {
    var items = fig.querySelectorAll('[data-tags]');
    var families = {};
    var order = [];
    items.forEach(function (el) {
      tagsOf(el).forEach(function (t) {
        var i = t.indexOf(':');
        var fam = t.slice(0, i);
        var val = t.slice(i + 1);
        if (!families[fam]) {
          families[fam] = [];
          order.push(fam);
        }
        if (families[fam].indexOf(val) < 0) families[fam].push(val);
      });
    });
    var off = {};
    var box = document.createElement('div');
    box.className = 'toggles';
    order.forEach(function (fam) {
      if (families[fam].length < 2) return;
      var fs = document.createElement('fieldset');
      var lg = document.createElement('legend');
      lg.textContent = FAMILY_NAMES[fam] || fam;
      fs.appendChild(lg);
      families[fam].forEach(function (val) {
        var tag = fam + ':' + val;
        var label = document.createElement('label');
        var cb = document.createElement('input');
        cb.type = 'checkbox';
        cb.checked = true;
        cb.setAttribute('data-toggle', tag);
        cb.addEventListener('change', function () {
          off[tag] = !cb.checked;
          items.forEach(function (el) {
            var hidden = tagsOf(el).some(function (t) { return off[t]; });
            el.classList.toggle('off', hidden);
          });
        });
        label.appendChild(cb);
        label.appendChild(document.createTextNode(' ' + val));
        fs.appendChild(label);
      });
      box.appendChild(fs);
    });
    if (box.children.length) fig.insertBefore(box, fig.firstChild);
  }
  document.querySelectorAll('figure.chart').forEach(setupToggles);

  /* ---- tables: sort by a column, filter by text ---- */
  function cellValue(td) {
    if (!td) return { n: NaN, s: '' };
    var v = td.getAttribute('data-v');
    var s = td.textContent.trim();
    var n = v !== null ? parseFloat(v) : parseFloat(s.replace(/^[^0-9.\-]+/, ''));
    return { n: n, s: s };
  }

  function sortBy(table, col, th) {
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    table.querySelectorAll('th[aria-sort]').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (r, i) { return { r: r, v: cellValue(r.cells[col]), i: i }; });
    var numeric = keyed.some(function (k) { return !isNaN(k.v.n); });
    keyed.sort(function (a, b) {
      var d;
      if (numeric) {
        var an = isNaN(a.v.n), bn = isNaN(b.v.n);
        if (an || bn) return an === bn ? a.i - b.i : an ? 1 : -1; /* unknown last */
        d = a.v.n - b.v.n;
      } else {
        d = a.v.s.localeCompare(b.v.s);
      }
      return (asc ? d : -d) || a.i - b.i;
    });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (k) { frag.appendChild(k.r); });
    body.appendChild(frag);
  }

  document.querySelectorAll('table.sortable').forEach(function (table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    Array.prototype.forEach.call(head.cells, function (th) {
      if (th.hasAttribute('data-nosort')) return;
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'sort';
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      /* the column is looked up when clicked: the index may gain a pick column later */
      b.addEventListener('click', function () { sortBy(table, th.cellIndex, th); });
    });
  });

  document.querySelectorAll('table.filterable').forEach(function (table) {
    var tools = document.createElement('div');
    tools.className = 'tools';
    var input = document.createElement('input');
    input.type = 'search';
    input.placeholder = 'Filter rows';
    input.setAttribute('aria-label', 'Filter the rows of the table below');
    tools.appendChild(input);
    var flaggedOnly = null;
    if (table.querySelector('tr.flagged')) {
      var label = document.createElement('label');
      flaggedOnly = document.createElement('input');
      flaggedOnly.type = 'checkbox';
      flaggedOnly.className = 'flagged-only';
      label.appendChild(flaggedOnly);
      label.appendChild(document.createTextNode(' flagged only'));
      tools.appendChild(label);
    }
    function apply() {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        var show = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
        if (flaggedOnly && flaggedOnly.checked) show = show && r.classList.contains('flagged');
        r.hidden = !show;
      });
    }
    input.addEventListener('input', apply);
    if (flaggedOnly) flaggedOnly.addEventListener('change', apply);
    var wrap = table.parentNode.classList.contains('scroll') ? table.parentNode : table;
    wrap.parentNode.insertBefore(tools, wrap);
  });

  /* ---- a site index: pick two rows, see them side by side ---- */
  document.querySelectorAll('table.pickable').forEach(function (table) {
    var pair = document.getElementById('pair');
    var headRow = table.tHead.rows[0];
    var th = document.createElement('th');
    th.textContent = 'pick';
    th.setAttribute('data-nosort', '');
    headRow.insertBefore(th, headRow.firstChild);
    var tools = document.createElement('div');
    tools.className = 'tools';
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'action';
    button.id = 'compare-picked';
    button.textContent = 'Compare the two picked';
    button.disabled = true;
    tools.appendChild(button);
    var hint = document.createElement('span');
    hint.className = 'note';
    hint.textContent = 'Pick any two rows.';
    tools.appendChild(hint);
    var wrap = table.parentNode.classList.contains('scroll') ? table.parentNode : table;
    wrap.parentNode.insertBefore(tools, wrap);
    function picked() {
      return Array.prototype.filter.call(table.tBodies[0].rows, function (r) {
        return r.querySelector('input.pick').checked;
      });
    }
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      var td = document.createElement('td');
      var cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.className = 'pick';
      cb.setAttribute('aria-label', 'Pick ' + r.cells[0].textContent.trim());
      cb.addEventListener('change', function () {
        var p = picked();
        if (p.length > 2) {
          p.filter(function (x) { return x !== r; })[0].querySelector('input.pick').checked = false;
        }
        button.disabled = picked().length !== 2;
      });
      td.appendChild(cb);
      r.insertBefore(td, r.firstChild);
    });
    button.addEventListener('click', function () {
      var p = picked();
      if (p.length !== 2 || !pair) return;
      var heads = Array.prototype.map.call(headRow.cells, function (c) { return c.textContent.trim(); });
      var t = document.createElement('table');
      var hr = t.createTHead().insertRow();
      ['figure', p[0].cells[1].textContent.trim(), p[1].cells[1].textContent.trim(), 'ratio']
        .forEach(function (h) {
          var c = document.createElement('th');
          c.textContent = h;
          hr.appendChild(c);
        });
      var body = t.createTBody();
      for (var col = 2; col < heads.length; col++) {
        var a = p[0].cells[col], b = p[1].cells[col];
        if (!a || !b || a.querySelector('a')) continue;
        var va = cellValue(a), vb = cellValue(b);
        var row = body.insertRow();
        row.insertCell().textContent = heads[col];
        var ca = row.insertCell(), cb2 = row.insertCell(), cr = row.insertCell();
        ca.textContent = va.s;
        cb2.textContent = vb.s;
        ca.className = cb2.className = cr.className = 'num';
        var higher = headRow.cells[col].getAttribute('data-better') === 'higher';
        if (higher && !isNaN(va.n) && !isNaN(vb.n) && va.n !== vb.n) {
          (va.n > vb.n ? ca : cb2).classList.add('better');
        }
        cr.textContent = !isNaN(va.n) && !isNaN(vb.n) && va.n > 0 ? (vb.n / va.n).toFixed(2) + 'x' : '-';
      }
      pair.textContent = '';
      var h = document.createElement('h3');
      h.textContent = 'Side by side (ratio: second / first; \u25b2 marks the higher figure)';
      pair.appendChild(h);
      pair.appendChild(t);
      pair.scrollIntoView({ block: 'nearest' });
    });
  });
})();
