/* Redline comparison viewer — hand-written, no dependencies (ES2020). */
(function () {
  'use strict';

  var KINDS = ['insert', 'delete', 'replace', 'style', 'move'];
  var KIND_LABEL = { insert: 'Insert', delete: 'Delete', replace: 'Replace', style: 'Style', move: 'Move' };
  var KIND_NAME = { insert: 'Insertion', delete: 'Deletion', replace: 'Replacement', style: 'Style change', move: 'Move' };
  var KIND_PLURAL = { insert: 'Insertions', delete: 'Deletions', replace: 'Replacements', style: 'Style changes', move: 'Moves' };
  var SUMMARY_KEY = { insert: 'insertions', delete: 'deletions', replace: 'replacements', style: 'styleChanges', move: 'moves' };
  var LEFT_KINDS = { delete: 1, replace: 1, move: 1, style: 1 };
  var RIGHT_KINDS = { insert: 1, replace: 1, move: 1, style: 1 };
  var SIDES = ['left', 'right'];
  /* Fraction of a pane's height used as the "reading line" for alignment. */
  var READ_LINE = 0.3;
  /* Padding (PDF points) added around highlight rectangles. */
  var HL_PAD = 1;
  var POLL_MS = 1000;

  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function num(v, fallback) {
    var n = typeof v === 'number' ? v : parseFloat(v);
    return isFinite(n) ? n : fallback;
  }

  function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }

  function pct(v) { return (Math.round(v * 10000) / 10000) + '%'; }

  function collapse(s) { return String(s == null ? '' : s).replace(/\s+/g, ' ').trim(); }

  function truncate(s, n) {
    s = collapse(s);
    return s.length > n ? s.slice(0, n - 1).trimEnd() + '\u2026' : s;
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  /* ------------------------------------------------------------------ data */

  var data;
  try {
    data = JSON.parse($('viewer-data').textContent);
    if (!data || typeof data !== 'object') throw new Error('not an object');
  } catch (e) {
    data = null;
  }

  var app = $('app');

  function setAppStatus(status) {
    app.setAttribute('data-status', status);
    var s = $('status');
    s.setAttribute('data-status', status);
  }

  /* Zoom: pages are as wide as their pane at 100%; the account's default comes with the data. */
  function setupZoom() {
    var steps = [50, 67, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300];
    var zoom = clamp(Math.round(num(data && data.defaultZoom, 100)), 50, 300);
    function apply() {
      document.documentElement.style.setProperty('--rl-zoom', String(zoom / 100));
      $('zoom-level').textContent = zoom + '%';
    }
    function step(direction) {
      var next = direction > 0 ? steps.filter(function (s) { return s > zoom; })[0] : steps.filter(function (s) { return s < zoom; }).pop();
      if (next) { zoom = next; apply(); }
    }
    $('zoom-in').addEventListener('click', function () { step(1); });
    $('zoom-out').addEventListener('click', function () { step(-1); });
    document.addEventListener('keydown', function (e) {
      if (e.target && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) return;
      if (e.key === '+' || e.key === '=') step(1);
      else if (e.key === '-') step(-1);
    });
    apply();
  }

  function applyColors() {
    var colors = (data && data.colors) || {};
    KINDS.forEach(function (k) {
      if (typeof colors[k] === 'string' && colors[k].trim()) {
        document.documentElement.style.setProperty('--c-' + k, colors[k].trim());
      }
    });
  }

  function docName(side) {
    var d = data && data[side];
    var name = d && typeof d.displayName === 'string' ? d.displayName.trim() : '';
    return name || (side === 'left' ? 'Left document' : 'Right document');
  }

  function fillTitle() {
    $('title-left').textContent = docName('left');
    $('title-right').textContent = docName('right');
    $('title-left').title = docName('left');
    $('title-right').title = docName('right');
  }

  /* ---------------------------------------------------------- status views */

  function showStatusView(kind, title, message) {
    setAppStatus(kind);
    var s = $('status');
    s.hidden = false;
    $('main').hidden = true;
    $('toolbar').hidden = true;
    $('status-spinner').hidden = kind === 'failed';
    $('status-icon').hidden = kind !== 'failed';
    $('status-title').textContent = title;
    $('status-message').textContent = message || '';
    if (kind === 'failed') {
      s.setAttribute('role', 'alert');
      s.removeAttribute('aria-live');
    } else {
      s.setAttribute('role', 'status');
      s.setAttribute('aria-live', 'polite');
    }
  }

  function waitingText(status) {
    return status === 'missing'
      ? { title: 'Waiting for the comparison to be created\u2026', message: 'This page will update automatically as soon as the comparison exists.' }
      : { title: 'Comparing documents\u2026', message: 'This page will update automatically when the comparison is ready.' };
  }

  function startWaiting(status) {
    var t = waitingText(status);
    showStatusView(status, t.title, t.message);
    var started = Date.now();
    var failures = 0;
    var current = status;
    var detail = $('status-detail');
    var timer = null;

    function elapsed() {
      var s = Math.floor((Date.now() - started) / 1000);
      var m = Math.floor(s / 60);
      s = s % 60;
      return m + ':' + (s < 10 ? '0' : '') + s;
    }

    function setDetail(extra) {
      detail.textContent = 'Waiting ' + elapsed() + (extra ? ' \u00b7 ' + extra : '');
    }

    if (!data.statusUrl) {
      detail.textContent = 'Reload this page to check again.';
      return;
    }

    function schedule(ms) {
      clearTimeout(timer);
      timer = setTimeout(poll, ms);
    }

    function poll() {
      var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
      var abortTimer = ctrl ? setTimeout(function () { ctrl.abort(); }, 15000) : null;
      fetch(data.statusUrl, {
        cache: 'no-store',
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
        signal: ctrl ? ctrl.signal : undefined
      }).then(function (r) {
        if (r.status === 404) return { status: 'missing' };
        if (r.status === 401 || r.status === 403 || r.status === 410) return { status: 'reload' };
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      }).then(function (j) {
        clearTimeout(abortTimer);
        failures = 0;
        var st = j && j.status;
        if (st === 'ready' || st === 'failed' || st === 'reload') {
          detail.textContent = st === 'ready' ? 'Comparison ready \u2014 loading\u2026' : 'Loading\u2026';
          location.reload();
          return;
        }
        if ((st === 'pending' || st === 'missing') && st !== current) {
          current = st;
          var w = waitingText(st);
          setAppStatus(st);
          $('status-title').textContent = w.title;
          $('status-message').textContent = w.message;
        }
        setDetail();
        schedule(POLL_MS);
      }).catch(function () {
        clearTimeout(abortTimer);
        failures++;
        setDetail('connection problem, retrying\u2026');
        schedule(Math.min(POLL_MS * Math.pow(2, failures), 10000));
      });
    }

    setDetail();
    schedule(POLL_MS);
  }

  /* ------------------------------------------------------------- the viewer */

  var state = {
    changes: [],        // non-match changes, in document order
    byIndex: {},        // data.changes index -> change
    visible: [],        // changes passing the filters, in order
    selected: null,     // change object
    showStyle: true,
    query: '',
    sync: true,
    activeSide: 'left',
    panelOpen: false
  };

  var scrollEl = { left: null, right: null };
  var pageEls = { left: [], right: [] };
  var pageDims = { left: [], right: [] };
  var geom = { left: null, right: null };     // cached page offsets in px
  var anchorsPt = [];                          // [{l: {p, y}, r: {p, y}}]
  var anchorsPx = null;                        // {left: [...px], right: [...px]}
  var expected = { left: null, right: null };  // programmatic scroll positions to ignore
  var lastPos = { left: null, right: null };   // {p, f} page-relative reading position
  var mqWide, mqNarrow;

  function isNarrow() { return mqNarrow.matches; }
  function isWide() { return mqWide.matches; }
  function other(side) { return side === 'left' ? 'right' : 'left'; }

  function validRegion(side, region) {
    if (!region || typeof region !== 'object') return false;
    var p = num(region.pageIndex, -1);
    return p >= 0 && p < pageEls[side].length && Array.isArray(region.rectangles) && region.rectangles.length > 0;
  }

  function validMark(mark) {
    return !!(mark && typeof mark === 'object' && Array.isArray(mark.point) && mark.point.length >= 2 &&
      num(mark.pageIndex, -1) >= 0 && num(mark.pageIndex, -1) < pageEls.right.length);
  }

  function regionBounds(region) {
    var top = Infinity, bottom = -Infinity;
    region.rectangles.forEach(function (r) {
      var t = num(r.top, NaN), b = num(r.bottom, NaN);
      if (isFinite(t) && isFinite(b)) {
        top = Math.min(top, t, b);
        bottom = Math.max(bottom, t, b);
      }
    });
    if (!isFinite(top)) return null;
    return { p: num(region.pageIndex, 0), top: top, bottom: bottom };
  }

  function changeText(seg, kind) {
    var lt = seg.leftText, rt = seg.rightText, t = seg.text;
    if (kind === 'replace') return { left: lt != null ? lt : '', right: rt != null ? rt : '' };
    if (kind === 'insert') return { single: rt != null ? rt : (t != null ? t : '') };
    if (kind === 'delete') return { single: lt != null ? lt : (t != null ? t : '') };
    if (kind === 'move') return { single: t != null ? t : (lt != null ? lt : (rt != null ? rt : '')) };
    return { single: rt != null ? rt : (t != null ? t : (lt != null ? lt : '')) };
  }

  function describeStyles(info) {
    if (!info || typeof info !== 'object') return '';
    var parts = [];
    function fmt(v) {
      if (v == null) return '\u2014';
      if (typeof v === 'object') {
        var inner = [];
        Object.keys(v).slice(0, 6).forEach(function (k) {
          var x = v[k];
          if (x == null || typeof x === 'object') return;
          inner.push(k + ': ' + x);
        });
        return inner.join(', ');
      }
      return String(v);
    }
    Object.keys(info).slice(0, 6).forEach(function (k) {
      var s = fmt(info[k]);
      if (s) parts.push(k + ' ' + s);
    });
    return truncate(parts.join('; '), 200);
  }

  function buildChanges() {
    var segs = Array.isArray(data.changes) ? data.changes : [];
    segs.forEach(function (seg, i) {
      if (!seg || typeof seg !== 'object') return;
      var kind = seg.kind;
      var hasL = validRegion('left', seg.leftRegion);
      var hasR = validRegion('right', seg.rightRegion);
      if (kind !== 'match' && kind !== 'move' && hasL && hasR) {
        var a = regionBounds(seg.leftRegion), b = regionBounds(seg.rightRegion);
        if (a && b) {
          anchorsPt.push({ l: { p: a.p, y: a.top }, r: { p: b.p, y: b.top } });
          anchorsPt.push({ l: { p: a.p, y: a.bottom }, r: { p: b.p, y: b.bottom } });
        }
      } else if (kind === 'match' && hasL && hasR) {
        var ma = regionBounds(seg.leftRegion), mb = regionBounds(seg.rightRegion);
        if (ma && mb) {
          anchorsPt.push({ l: { p: ma.p, y: ma.top }, r: { p: mb.p, y: mb.top } });
          anchorsPt.push({ l: { p: ma.p, y: ma.bottom }, r: { p: mb.p, y: mb.bottom } });
        }
      } else if (kind === 'delete' && hasL && validMark(seg.deletionMark)) {
        var da = regionBounds(seg.leftRegion);
        if (da) anchorsPt.push({ l: { p: da.p, y: da.top }, r: { p: num(seg.deletionMark.pageIndex, 0), y: num(seg.deletionMark.point[1], 0) } });
      }
      if (kind === 'match' || !KIND_LABEL[kind]) return;

      var txt = changeText(seg, kind);
      var search = txt.single != null ? txt.single : (txt.left + '\n' + txt.right);
      if (seg.text && search.indexOf(seg.text) < 0) search += '\n' + seg.text;
      var change = {
        index: i,
        kind: kind,
        seg: seg,
        text: txt,
        searchText: collapse(search).toLowerCase(),
        styleDetail: kind === 'style' ? describeStyles(seg.stylesInfo) : '',
        region: {
          left: LEFT_KINDS[kind] && hasL ? seg.leftRegion : null,
          right: RIGHT_KINDS[kind] && hasR ? seg.rightRegion : null
        },
        mark: validMark(seg.deletionMark) ? seg.deletionMark : null,
        els: { left: [], right: [] },
        item: null,
        li: null,
        pos: -1
      };
      state.changes.push(change);
      state.byIndex[i] = change;
    });
  }

  /* ----------------------------------------------------------- rendering */

  function renderPages(side) {
    var doc = data[side] || {};
    var pages = Array.isArray(doc.pages) ? doc.pages : [];
    var container = $('pages-' + side);
    var frag = document.createDocumentFragment();
    var label = side === 'left' ? 'Left' : 'Right';
    pages.forEach(function (p, i) {
      var w = num(p && p.width, 612), h = num(p && p.height, 792);
      if (!(w > 0)) w = 612;
      if (!(h > 0)) h = 792;
      pageDims[side].push({ w: w, h: h });
      var page = el('div', 'rl-page');
      page.setAttribute('data-page-index', String(i));
      page.setAttribute('data-testid', 'page');
      page.style.aspectRatio = w + ' / ' + h;
      var img = el('img', 'rl-page-img');
      img.loading = 'lazy';
      img.decoding = 'async';
      img.alt = label + ' document, page ' + (i + 1) + ' of ' + pages.length;
      img.width = Math.round(w);
      img.height = Math.round(h);
      img.draggable = false;
      img.addEventListener('error', function () { page.classList.add('is-broken'); });
      if (p && typeof p.image === 'string') img.src = p.image;
      else page.classList.add('is-broken');
      page.appendChild(img);
      var pn = el('span', 'rl-page-num', String(i + 1));
      pn.setAttribute('aria-hidden', 'true');
      page.appendChild(pn);
      frag.appendChild(page);
      pageEls[side].push(page);
    });
    container.appendChild(frag);
    $('pane-' + side + '-name').textContent = docName(side);
    $('pane-' + side + '-name').title = docName(side);
    $('pane-' + side + '-pages').textContent = plural(pages.length, 'page', 'pages');
  }

  function tooltip(change) {
    var t = change.text;
    var s = t.single != null ? truncate(t.single, 120) : truncate(t.left, 60) + ' \u2192 ' + truncate(t.right, 60);
    return KIND_NAME[change.kind] + (s ? ': ' + s : '');
  }

  function renderHighlights() {
    state.changes.forEach(function (c) {
      var tip = tooltip(c);
      SIDES.forEach(function (side) {
        var region = c.region[side];
        if (!region) return;
        var pi = num(region.pageIndex, 0);
        var dim = pageDims[side][pi];
        var page = pageEls[side][pi];
        region.rectangles.forEach(function (r) {
          var l = num(r.left, NaN), t = num(r.top, NaN), rr = num(r.right, NaN), b = num(r.bottom, NaN);
          if (![l, t, rr, b].every(isFinite)) return;
          var x0 = clamp(Math.min(l, rr) - HL_PAD, 0, dim.w), x1 = clamp(Math.max(l, rr) + HL_PAD, 0, dim.w);
          var y0 = clamp(Math.min(t, b) - HL_PAD, 0, dim.h), y1 = clamp(Math.max(t, b) + HL_PAD, 0, dim.h);
          var d = el('div', 'rl-hl rl-k-' + c.kind);
          d.setAttribute('data-testid', 'highlight');
          d.setAttribute('data-change-index', String(c.index));
          d.setAttribute('data-kind', c.kind);
          d.setAttribute('data-side', side);
          d.style.left = pct(x0 / dim.w * 100);
          d.style.top = pct(y0 / dim.h * 100);
          d.style.width = pct((x1 - x0) / dim.w * 100);
          d.style.height = pct((y1 - y0) / dim.h * 100);
          d.title = tip;
          page.appendChild(d);
          c.els[side].push(d);
        });
      });
      if (c.mark && !c.region.right) {
        var mp = num(c.mark.pageIndex, 0);
        var md = pageDims.right[mp];
        var x = clamp(num(c.mark.point[0], 0), 0, md.w), y = clamp(num(c.mark.point[1], 0), 0, md.h);
        var lineH = 12;
        if (c.seg.leftRegion && Array.isArray(c.seg.leftRegion.rectangles) && c.seg.leftRegion.rectangles[0]) {
          var r0 = c.seg.leftRegion.rectangles[0];
          var lh = Math.abs(num(r0.bottom, 0) - num(r0.top, 0));
          if (lh > 4 && lh < 40) lineH = lh;
        }
        var m = el('div', 'rl-mark rl-k-' + c.kind);
        m.setAttribute('data-testid', 'deletion-mark');
        m.setAttribute('data-change-index', String(c.index));
        m.setAttribute('data-kind', c.kind);
        m.setAttribute('data-side', 'right');
        m.style.left = pct(x / md.w * 100);
        m.style.top = pct(clamp(y - lineH / 2, 0, md.h) / md.h * 100);
        m.style.height = pct(lineH / md.h * 100);
        m.title = tip + ' (deleted here)';
        pageEls.right[mp].appendChild(m);
        c.els.right.push(m);
      }
    });
  }

  function pageLabel(change) {
    var parts = [];
    if (change.region.left) parts.push('L' + (num(change.region.left.pageIndex, 0) + 1));
    if (change.region.right) parts.push('R' + (num(change.region.right.pageIndex, 0) + 1));
    else if (change.mark) parts.push('R' + (num(change.mark.pageIndex, 0) + 1));
    return parts.join(' \u00b7 ');
  }

  /* Appends text to parent, wrapping matches of the current query in <mark>. */
  function appendMarked(parent, text, query) {
    if (!query) { parent.appendChild(document.createTextNode(text)); return; }
    var pattern = query.split(' ').map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }).join('\\s+');
    var re;
    try { re = new RegExp(pattern, 'gi'); } catch (e) { parent.appendChild(document.createTextNode(text)); return; }
    var last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      parent.appendChild(el('mark', null, m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function fillItemText(change) {
    var box = change.textEl;
    box.textContent = '';
    var q = state.query;
    var t = change.text;
    if (t.single != null) {
      var s = truncate(t.single, 160);
      if (!s) { box.appendChild(el('span', 'rl-item-empty', '(no text)')); return; }
      var wrap = change.kind === 'delete' ? el('del') : change.kind === 'insert' ? el('ins') : el('span');
      appendMarked(wrap, s, q);
      box.appendChild(wrap);
    } else {
      var a = truncate(t.left, 70), b = truncate(t.right, 70);
      var del = el('del');
      if (a) appendMarked(del, a, q); else del.appendChild(el('span', 'rl-item-empty', '(no text)'));
      var ins = el('ins');
      if (b) appendMarked(ins, b, q); else ins.appendChild(el('span', 'rl-item-empty', '(no text)'));
      box.appendChild(del);
      box.appendChild(el('span', 'rl-item-arrow', ' \u2192 '));
      box.appendChild(ins);
    }
  }

  function renderList() {
    var list = $('change-list');
    var frag = document.createDocumentFragment();
    state.changes.forEach(function (c) {
      var li = el('li');
      var b = el('button', 'rl-item');
      b.type = 'button';
      b.setAttribute('data-testid', 'change-item');
      b.setAttribute('data-change-index', String(c.index));
      b.setAttribute('data-kind', c.kind);
      var badge = el('span', 'rl-badge rl-k-' + c.kind);
      badge.appendChild(el('span', 'rl-swatch'));
      badge.appendChild(document.createTextNode(KIND_LABEL[c.kind]));
      b.appendChild(badge);
      var where = el('span', 'rl-item-where', pageLabel(c));
      where.title = 'Page on the left (L) and right (R) document';
      b.appendChild(where);
      c.textEl = el('span', 'rl-item-text');
      b.appendChild(c.textEl);
      fillItemText(c);
      if (c.styleDetail) b.appendChild(el('span', 'rl-item-detail', c.styleDetail));
      b.title = tooltip(c) + (c.styleDetail ? '\n' + c.styleDetail : '');
      li.appendChild(b);
      frag.appendChild(li);
      c.item = b;
      c.li = li;
    });
    list.appendChild(frag);
  }

  function renderLegend() {
    var legend = $('legend');
    legend.textContent = '';
    var cs = (data.summary && data.summary.changeSummary) || null;
    var total = 0;
    KINDS.forEach(function (k) {
      var n = cs && isFinite(num(cs[SUMMARY_KEY[k]], NaN))
        ? num(cs[SUMMARY_KEY[k]], 0)
        : state.changes.filter(function (c) { return c.kind === k; }).length;
      total += n;
      var li = el('li', 'rl-chip rl-k-' + k + (n === 0 ? ' is-zero' : ''));
      li.setAttribute('data-kind', k);
      li.setAttribute('data-testid', 'summary-' + k);
      li.title = plural(n, KIND_NAME[k].toLowerCase(), KIND_PLURAL[k].toLowerCase());
      li.appendChild(el('span', 'rl-swatch'));
      li.appendChild(el('span', 'rl-chip-count', String(n)));
      li.appendChild(el('span', 'rl-chip-label', KIND_PLURAL[k]));
      legend.appendChild(li);
    });
    var none = (data.summary && data.summary.anyChanges === false) || (total === 0 && state.changes.length === 0);
    if (none) {
      var ok = el('li', 'rl-chip rl-chip-none', 'No differences found');
      ok.setAttribute('data-testid', 'no-changes');
      legend.insertBefore(ok, legend.firstChild);
    }
    legend.hidden = false;
  }

  /* ------------------------------------------------------------ geometry */

  function getGeom(side) {
    if (!geom[side]) {
      geom[side] = pageEls[side].map(function (p) { return { top: p.offsetTop, height: p.offsetHeight }; });
      var c = $('pages-' + side);
      geom[side].total = c.offsetHeight;
    }
    return geom[side];
  }

  function invalidateGeometry() {
    geom.left = geom.right = null;
    anchorsPx = null;
  }

  function ptToPx(side, p, y) {
    var g = getGeom(side);
    var pg = g[p];
    if (!pg) return 0;
    var dim = pageDims[side][p];
    return pg.top + clamp(y / dim.h, 0, 1) * pg.height;
  }

  /* px position -> {p: page index, f: fraction within page} (for restoring after resize). */
  function pxToPagePos(side, px) {
    var g = getGeom(side);
    if (!g.length) return null;
    var i = 0;
    while (i < g.length - 1 && px >= g[i + 1].top) i++;
    return { p: i, f: (px - g[i].top) / (g[i].height || 1) };
  }

  function pagePosToPx(side, pos) {
    var g = getGeom(side);
    var pg = g[pos.p];
    return pg ? pg.top + pos.f * pg.height : 0;
  }

  function buildAnchorsPx() {
    if (anchorsPx) return anchorsPx;
    var pts = anchorsPt.map(function (a) {
      return { l: ptToPx('left', a.l.p, a.l.y), r: ptToPx('right', a.r.p, a.r.y) };
    });
    pts.sort(function (a, b) { return a.l - b.l || a.r - b.r; });
    // Longest strictly increasing subsequence on r (l already sorted) keeps
    // the mapping monotonic and drops outliers (e.g. reordered content).
    var tails = [], tailIdx = [], prev = new Array(pts.length);
    for (var i = 0; i < pts.length; i++) {
      if (i > 0 && pts[i].l === pts[i - 1].l) { prev[i] = -2; continue; }
      var lo = 0, hi = tails.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (tails[mid] < pts[i].r) lo = mid + 1; else hi = mid;
      }
      tails[lo] = pts[i].r;
      tailIdx[lo] = i;
      prev[i] = lo > 0 ? tailIdx[lo - 1] : -1;
    }
    var chain = [];
    var k = tailIdx.length ? tailIdx[tailIdx.length - 1] : -1;
    while (k >= 0) { chain.push(pts[k]); k = prev[k]; }
    chain.reverse();
    var L = [0], R = [0];
    chain.forEach(function (a) {
      if (a.l > L[L.length - 1] && a.r > R[R.length - 1]) { L.push(a.l); R.push(a.r); }
    });
    var endL = getGeom('left').total, endR = getGeom('right').total;
    if (endL > L[L.length - 1] && endR > R[R.length - 1]) { L.push(endL); R.push(endR); }
    anchorsPx = { left: L, right: R };
    return anchorsPx;
  }

  /* Maps a px offset in one document to the corresponding px offset in the other. */
  function mapPos(from, y) {
    var a = buildAnchorsPx();
    var A = a[from], B = a[other(from)];
    var n = A.length;
    if (n < 2) {
      var ga = getGeom(from).total || 1, gb = getGeom(other(from)).total || 1;
      return y / ga * gb;
    }
    if (y <= A[0]) return B[0] + (y - A[0]);
    if (y >= A[n - 1]) return B[n - 1] + (y - A[n - 1]);
    var lo = 0, hi = n - 1;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (A[mid] <= y) lo = mid; else hi = mid;
    }
    var span = A[hi] - A[lo];
    var t = span > 0 ? (y - A[lo]) / span : 0;
    return B[lo] + t * (B[hi] - B[lo]);
  }

  /* ------------------------------------------------------------ scrolling */

  function setScroll(side, top) {
    var s = scrollEl[side];
    var before = s.scrollTop;
    s.scrollTop = Math.max(0, top);
    if (Math.abs(s.scrollTop - before) >= 0.5) expected[side] = s.scrollTop;
    rememberPos(side);
  }

  function readLine(side) { return scrollEl[side].clientHeight * READ_LINE; }

  function rememberPos(side) {
    if (!pageEls[side].length) return;
    lastPos[side] = pxToPagePos(side, scrollEl[side].scrollTop + readLine(side));
  }

  function paneVisible(side) { return scrollEl[side].clientHeight > 0; }

  /*
   * Document position aligned between the panes for a given scrollTop: a line
   * READ_LINE down the viewport, blended towards the top/bottom edge near the
   * start/end so that both documents reach their ends together.
   */
  function syncPoint(side, top) {
    var s = scrollEl[side];
    var h = s.clientHeight;
    var max = Math.max(0, s.scrollHeight - h);
    var zone = Math.min(h, max / 2);
    var r = READ_LINE;
    if (zone > 0) {
      if (top < zone) r = READ_LINE * (top / zone);
      else if (top > max - zone) r = READ_LINE + (1 - READ_LINE) * (1 - (max - top) / zone);
    }
    return top + h * r;
  }

  /* Inverse of syncPoint (monotonic, so bisection is fine). */
  function scrollForSyncPoint(side, y) {
    var s = scrollEl[side];
    var max = Math.max(0, s.scrollHeight - s.clientHeight);
    if (y <= syncPoint(side, 0)) return 0;
    if (y >= syncPoint(side, max)) return max;
    var lo = 0, hi = max;
    for (var i = 0; i < 28 && hi - lo > 0.25; i++) {
      var mid = (lo + hi) / 2;
      if (syncPoint(side, mid) < y) lo = mid; else hi = mid;
    }
    return (lo + hi) / 2;
  }

  function syncFrom(side, force) {
    var o = other(side);
    if ((!state.sync && !force) || !paneVisible(side) || !paneVisible(o)) return;
    var y = syncPoint(side, scrollEl[side].scrollTop);
    setScroll(o, scrollForSyncPoint(o, mapPos(side, y)));
  }

  var rafPending = { left: false, right: false };

  function onScroll(side) {
    var s = scrollEl[side];
    if (expected[side] != null && Math.abs(s.scrollTop - expected[side]) < 2) {
      expected[side] = null;
      return;
    }
    expected[side] = null;
    if (rafPending[side]) return;
    rafPending[side] = true;
    requestAnimationFrame(function () {
      rafPending[side] = false;
      rememberPos(side);
      syncFrom(side);
    });
  }

  function onResize() {
    var keep = { left: lastPos.left, right: lastPos.right };
    invalidateGeometry();
    SIDES.forEach(function (side) {
      if (keep[side] && paneVisible(side)) {
        setScroll(side, pagePosToPx(side, keep[side]) - readLine(side));
      }
    });
  }

  function changeBox(change, side) {
    var region = change.region[side];
    if (region) {
      var b = regionBounds(region);
      if (!b) return null;
      return { top: ptToPx(side, b.p, b.top), bottom: ptToPx(side, b.p, b.bottom) };
    }
    if (side === 'right' && change.mark) {
      var y = ptToPx('right', num(change.mark.pageIndex, 0), num(change.mark.point[1], 0));
      return { top: y - 8, bottom: y + 8 };
    }
    return null;
  }

  /*
   * Scrolls panes so the change is visible. If `keepSide` is given (the user
   * clicked a highlight there), that pane stays put and the other pane is
   * aligned to the same on-screen height.
   */
  function scrollToChange(change, keepSide) {
    var boxes = { left: changeBox(change, 'left'), right: changeBox(change, 'right') };
    var targets = {};
    if (keepSide && boxes[keepSide] && paneVisible(keepSide)) {
      var offset = boxes[keepSide].top - scrollEl[keepSide].scrollTop;
      var o = other(keepSide);
      var oy = boxes[o] ? boxes[o].top : mapPos(keepSide, boxes[keepSide].top);
      targets[o] = oy - offset;
    } else {
      var anyBox = boxes.left ? 'left' : 'right';
      SIDES.forEach(function (side) {
        var y;
        if (boxes[side]) y = boxes[side].top;
        else if (boxes[other(side)]) y = mapPos(other(side), boxes[other(side)].top);
        else return;
        var h = scrollEl[side].clientHeight || (scrollEl[anyBox].clientHeight);
        targets[side] = y - h * READ_LINE;
      });
    }
    SIDES.forEach(function (side) {
      if (targets[side] == null) return;
      if (paneVisible(side)) setScroll(side, targets[side]);
      else lastPos[side] = pxToPagePos(side, targets[side] + readLine(state.activeSide));
    });
  }

  /* ------------------------------------------------------------ selection */

  function setSelectedClasses(change, on) {
    if (!change) return;
    SIDES.forEach(function (side) {
      change.els[side].forEach(function (e) {
        e.classList.toggle('is-selected', on);
        if (!on) e.classList.remove('is-flash');
      });
    });
    if (on) change.item.setAttribute('aria-current', 'true');
    else change.item.removeAttribute('aria-current');
  }

  function flash(change) {
    SIDES.forEach(function (side) {
      change.els[side].forEach(function (e) {
        e.classList.remove('is-flash');
        void e.offsetWidth;
        e.classList.add('is-flash');
      });
    });
  }

  function revealItem(change) {
    var list = $('change-list');
    if (!list.clientHeight) return;
    var top = change.li.offsetTop - list.offsetTop;
    var bottom = top + change.li.offsetHeight;
    if (top < list.scrollTop + 4) list.scrollTop = Math.max(0, top - 8);
    else if (bottom > list.scrollTop + list.clientHeight - 4) list.scrollTop = bottom - list.clientHeight + 8;
  }

  function updateCounter() {
    var pos = state.selected && state.selected.pos >= 0 ? state.selected.pos + 1 : 0;
    $('change-counter').textContent = pos + ' / ' + state.visible.length;
    var none = state.visible.length === 0;
    $('next-change').disabled = none;
    $('prev-change').disabled = none;
  }

  function select(change, opts) {
    opts = opts || {};
    if (state.selected && state.selected !== change) setSelectedClasses(state.selected, false);
    state.selected = change;
    if (!change) { updateCounter(); return; }
    setSelectedClasses(change, true);
    updateCounter();
    if (isNarrow()) {
      var side = state.activeSide;
      var has = function (s) { return !!(change.region[s] || (s === 'right' && change.mark)); };
      if (!has(side) && has(other(side))) setActiveSide(other(side), { noAlign: true });
    }
    if (opts.scroll !== false) scrollToChange(change, opts.keepSide);
    revealItem(change);
    flash(change);
    if (opts.focusItem) change.item.focus({ preventScroll: true });
    try {
      history.replaceState(history.state, '', '#change-' + change.index);
    } catch (e) { /* sandboxed iframes may forbid this */ }
  }

  function currentTopIndex() {
    // First visible change at or below the top of the active (or left) pane.
    var side = isNarrow() ? state.activeSide : 'left';
    var top = scrollEl[side].scrollTop;
    for (var i = 0; i < state.visible.length; i++) {
      var c = state.visible[i];
      var box = changeBox(c, side);
      if (!box) {
        var ob = changeBox(c, other(side));
        if (ob) box = { top: mapPos(other(side), ob.top) };
      }
      if (box && box.top >= top - 2) return i;
    }
    return state.visible.length - 1;
  }

  function step(dir, opts) {
    var n = state.visible.length;
    if (!n) return;
    var pos;
    var sel = state.selected;
    if (sel && sel.pos >= 0) {
      pos = (sel.pos + dir + n) % n;
    } else {
      var first = currentTopIndex();
      pos = dir > 0 ? first : (first - 1 + n) % n;
    }
    select(state.visible[pos], opts);
  }

  /* -------------------------------------------------------------- filters */

  function applyFilters() {
    var q = state.query;
    var visible = [];
    var hits = 0;
    state.changes.forEach(function (c) {
      var styleHidden = c.kind === 'style' && !state.showStyle;
      var match = !q || c.searchText.indexOf(q) >= 0;
      var show = !styleHidden && match;
      if (show) { c.pos = visible.length; visible.push(c); } else c.pos = -1;
      if (q && !styleHidden && match) hits++;
      c.li.classList.toggle('is-filtered', !show);
      SIDES.forEach(function (side) {
        c.els[side].forEach(function (e) {
          e.classList.toggle('is-filtered', styleHidden);
          e.classList.toggle('is-hit', !!q && match && !styleHidden);
          e.classList.toggle('is-dim', !!q && !match);
        });
      });
      if (c.textEl && c.lastQuery !== q) { c.lastQuery = q; fillItemText(c); }
    });
    state.visible = visible;
    app.classList.toggle('is-searching', !!q);
    if (state.selected && state.selected.pos < 0) select(null);

    var status = $('search-status');
    status.classList.toggle('is-none', !!q && hits === 0);
    status.textContent = q ? (hits === 0 ? 'No matches' : plural(hits, 'match', 'matches')) : '';

    var empty = $('panel-empty');
    if (!state.changes.length) {
      empty.textContent = 'No differences were found between the two documents.';
      empty.hidden = false;
    } else if (!visible.length) {
      empty.textContent = q ? 'No changes match \u201c' + $('search').value.trim() + '\u201d.' : 'No content changes. Style changes are hidden.';
      empty.hidden = false;
    } else {
      empty.hidden = true;
    }
    $('panel-count').textContent = '(' + visible.length + (visible.length !== state.changes.length ? ' of ' + state.changes.length : '') + ')';
    updateCounter();
  }

  function setShowStyle(show) {
    state.showStyle = show;
    $('mode-all').setAttribute('aria-pressed', String(show));
    $('mode-content').setAttribute('aria-pressed', String(!show));
    applyFilters();
  }

  /* ------------------------------------------------------ panel & tabs */

  function usesDrawer() { return !isWide(); }

  function setPanelOpen(open, opts) {
    opts = opts || {};
    state.panelOpen = open;
    app.classList.toggle('is-panel-open', open);
    $('list-toggle').setAttribute('aria-expanded', String(open));
    $('backdrop').hidden = !(open && usesDrawer());
    if (usesDrawer()) {
      if (open) {
        var target = state.selected ? state.selected.item : $('change-list').querySelector('li:not(.is-filtered) .rl-item');
        if (state.selected) revealItem(state.selected);
        if (opts.focus !== false) (target || $('panel-close')).focus({ preventScroll: true });
      } else if (opts.returnFocus) {
        $('list-toggle').focus({ preventScroll: true });
      }
    }
    invalidateGeometry();
  }

  function setActiveSide(side, opts) {
    opts = opts || {};
    var prevSide = state.activeSide;
    state.activeSide = side;
    app.setAttribute('data-active-side', side);
    SIDES.forEach(function (s) {
      var tab = $('tab-' + s);
      tab.setAttribute('aria-selected', String(s === side));
      tab.tabIndex = s === side ? 0 : -1;
    });
    if (!isNarrow() || prevSide === side || opts.noAlign) return;
    // Both panes keep their layout on phones, so with sync on they are already
    // aligned; without it, align once on switching.
    if (!state.sync) syncFrom(prevSide, true);
  }

  /* ------------------------------------------------------------- events */

  function isTypingTarget(t) {
    if (!t || !t.tagName) return false;
    var tag = t.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
  }

  function bindEvents() {
    SIDES.forEach(function (side) {
      scrollEl[side].addEventListener('scroll', function () { onScroll(side); }, { passive: true });
      $('pages-' + side).addEventListener('click', function (e) {
        var t = e.target.closest ? e.target.closest('[data-change-index]') : null;
        if (!t) return;
        var c = state.byIndex[t.getAttribute('data-change-index')];
        if (c && c.pos >= 0) select(c, { keepSide: side });
      });
    });

    $('change-list').addEventListener('click', function (e) {
      var b = e.target.closest ? e.target.closest('.rl-item') : null;
      if (!b) return;
      var c = state.byIndex[b.getAttribute('data-change-index')];
      if (!c) return;
      if (usesDrawer()) setPanelOpen(false, { focus: false });
      select(c);
    });

    $('next-change').addEventListener('click', function () { step(1); });
    $('prev-change').addEventListener('click', function () { step(-1); });
    $('mode-content').addEventListener('click', function () { setShowStyle(false); });
    $('mode-all').addEventListener('click', function () { setShowStyle(true); });
    $('sync-scroll').addEventListener('change', function (e) {
      state.sync = e.target.checked;
      if (state.sync) syncFrom('left');
    });
    $('list-toggle').addEventListener('click', function () { setPanelOpen(!state.panelOpen); });
    $('panel-close').addEventListener('click', function () { setPanelOpen(false, { returnFocus: true }); });
    $('backdrop').addEventListener('click', function () { setPanelOpen(false, { returnFocus: true }); });

    SIDES.forEach(function (side) {
      $('tab-' + side).addEventListener('click', function () { setActiveSide(side); });
    });
    $('side-tabs').addEventListener('keydown', function (e) {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') {
        e.preventDefault();
        e.stopPropagation();
        var side = (e.key === 'ArrowLeft' || e.key === 'Home') ? 'left' : 'right';
        setActiveSide(side);
        $('tab-' + side).focus();
      }
    });

    var search = $('search');
    var debounce = null;
    search.addEventListener('input', function () {
      clearTimeout(debounce);
      debounce = setTimeout(function () {
        state.query = collapse(search.value).toLowerCase();
        applyFilters();
      }, 120);
    });
    search.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        clearTimeout(debounce);
        var q = collapse(search.value).toLowerCase();
        if (q !== state.query) { state.query = q; applyFilters(); }
        step(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        if (search.value) {
          e.preventDefault();
          e.stopPropagation();
          search.value = '';
          state.query = '';
          applyFilters();
        } else {
          search.blur();
        }
      }
    });

    document.addEventListener('keydown', function (e) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape' && state.panelOpen && usesDrawer()) {
        e.preventDefault();
        setPanelOpen(false, { returnFocus: true });
        return;
      }
      if (isTypingTarget(e.target)) return;
      var inList = !!(e.target.closest && e.target.closest('#change-list'));
      var key = e.key;
      if (key === 'n' || key === 'N' || key === 'ArrowDown') {
        e.preventDefault();
        step(1, { focusItem: inList });
      } else if (key === 'p' || key === 'P' || key === 'ArrowUp') {
        e.preventDefault();
        step(-1, { focusItem: inList });
      } else if (key === '/') {
        e.preventDefault();
        search.focus();
        search.select();
      }
    });

    var onLayoutChange = function () {
      $('backdrop').hidden = !(state.panelOpen && usesDrawer());
      invalidateGeometry();
    };
    if (mqWide.addEventListener) {
      mqWide.addEventListener('change', function () {
        setPanelOpen(isWide(), { focus: false });
        onLayoutChange();
      });
      mqNarrow.addEventListener('change', onLayoutChange);
    }

    if (typeof ResizeObserver === 'function') {
      var ro = new ResizeObserver(function () { onResize(); });
      SIDES.forEach(function (side) { ro.observe(scrollEl[side]); ro.observe($('pages-' + side)); });
    } else {
      window.addEventListener('resize', onResize);
    }
  }

  function initViewer() {
    setAppStatus('ready');
    $('status').hidden = true;
    $('status').setAttribute('aria-live', 'off');
    $('toolbar').hidden = false;
    $('side-tabs').hidden = false;
    $('main').hidden = false;
    mqWide = window.matchMedia('(min-width: 1101px)');
    mqNarrow = window.matchMedia('(max-width: 760px)');
    scrollEl.left = $('scroll-left');
    scrollEl.right = $('scroll-right');
    app.setAttribute('data-active-side', 'left');

    renderPages('left');
    renderPages('right');
    buildChanges();
    renderHighlights();
    renderList();
    renderLegend();
    bindEvents();
    setPanelOpen(isWide(), { focus: false });
    applyFilters();

    var m = /^#change-(\d+)$/.exec(location.hash || '');
    if (m && state.byIndex[m[1]]) {
      var c = state.byIndex[m[1]];
      requestAnimationFrame(function () { select(c); });
    }
    app.setAttribute('data-ready', 'true');
  }

  /* --------------------------------------------------------------- start */

  if (!data) {
    showStatusView('failed', 'Unable to display this comparison', 'The comparison data could not be read. Try reloading the page.');
    return;
  }
  applyColors();
  setupZoom();
  fillTitle();

  var status = data.status;
  if (status === 'ready') {
    try {
      initViewer();
    } catch (e) {
      showStatusView('failed', 'Unable to display this comparison', 'An unexpected error occurred while rendering the comparison.');
      if (window.console) console.error(e);
    }
  } else if (status === 'pending' || status === 'missing') {
    startWaiting(status);
  } else if (status === 'failed') {
    showStatusView('failed', 'Comparison failed', data.errorMessage || 'The documents could not be compared.');
  } else {
    showStatusView('failed', 'Unable to display this comparison', data.errorMessage || 'Unknown comparison status.');
  }
})();
