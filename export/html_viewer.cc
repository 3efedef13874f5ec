// The offline viewer's stylesheet and script, inlined into every HTML export.
// Hand-written, no libraries: a deterministic force-directed layout (circular
// start, Fruchterman-Reingold steps) drawn in SVG, pan/zoom/drag, hover
// tooltips, click for evidence, and filters by relation, CAMEO class, dates.
#include "export/html_viewer.h"

namespace kg::exporter::internal {

const char kViewerCss[] = R"KGCSS(
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; background: #fafafa; }
header { display: flex; align-items: baseline; gap: 1em; padding: 6px 12px; background: #2f3b4a; color: #fff; }
header h1 { font-size: 16px; margin: 0; font-weight: 600; }
#kg-status { font-size: 12px; opacity: .85; }
main { display: flex; height: calc(100% - 34px); }
aside { width: 250px; overflow: auto; padding: 8px 12px; background: #fff; border-right: 1px solid #ddd; }
aside#kg-details { width: 340px; border-right: 0; border-left: 1px solid #ddd; }
aside h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #555; margin: 12px 0 6px; }
aside label { display: block; margin: 2px 0; cursor: pointer; }
aside input[type=date] { width: 100%; }
aside button { margin: 2px 4px 2px 0; font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: middle; }
.muted { color: #888; font-size: 12px; }
#kg-canvas { flex: 1; position: relative; overflow: hidden; }
#kg-graph { width: 100%; height: 100%; display: block; cursor: grab; background: #fff; }
#kg-graph.panning { cursor: grabbing; }
.kg-edge path.line { fill: none; stroke-linecap: round; opacity: .85; }
.kg-edge path.hit { fill: none; stroke: transparent; stroke-width: 12px; cursor: pointer; }
.kg-edge text { font-size: 10px; pointer-events: none; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.kg-edge.negated path.line { stroke-dasharray: 6 4; }
.kg-edge:hover path.line, .kg-edge.selected path.line { opacity: 1; filter: drop-shadow(0 0 2px rgba(0,0,0,.5)); }
.kg-node circle { stroke: #444; stroke-width: 1.2px; cursor: pointer; }
.kg-node.centre circle { stroke-width: 3px; }
.kg-node.selected circle { stroke: #000; stroke-width: 3px; }
.kg-node text { font-size: 11px; pointer-events: none; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.kg-dim { opacity: .15; }
#kg-tooltip { position: absolute; pointer-events: none; background: rgba(30,30,30,.92); color: #fff; padding: 6px 8px; border-radius: 4px; font-size: 12px; max-width: 360px; }
#kg-detail-body h3 { font-size: 15px; margin: 6px 0; }
#kg-detail-body ol { padding-left: 18px; }
#kg-detail-body li { margin-bottom: 8px; }
#kg-detail-body blockquote { margin: 3px 0 0; padding-left: 8px; border-left: 3px solid #ccc; color: #333; }
#kg-detail-body a { color: #1f5fa8; cursor: pointer; text-decoration: underline; }
)KGCSS";

const char kViewerJs[] = R"KGJS(
(function () {
  'use strict';
  var SVGNS = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('kg-data').textContent);
  var nodes = data.nodes, edges = data.edges;
  var svg = document.getElementById('kg-graph');
  var viewport = document.getElementById('kg-viewport');
  var edgeLayer = document.getElementById('kg-edges');
  var nodeLayer = document.getElementById('kg-nodes');
  var tooltip = document.getElementById('kg-tooltip');
  var details = document.getElementById('kg-detail-body');
  var statusEl = document.getElementById('kg-status');
  var W = 1000, H = 700;
  var view = { x: 0, y: 0, k: 1 };
  var selected = null;
  var relationOn = {}, quadOn = {};
  var dateFrom = '', dateTo = '';

  function el(tag, attrs, parent) {
    var e = document.createElementNS(SVGNS, tag);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function html(tag, text, parent, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  function radius(d) { return 6 + 3 * Math.log2(1 + d.degree); }
  function width(count) { return Math.min(1.2 + 1.6 * Math.log2(Math.max(count, 1)), 9); }

  // ---- Layout: circle, then Fruchterman-Reingold with cooling. Deterministic.
  function layout() {
    var n = nodes.length, cx = W / 2, cy = H / 2, R = Math.min(W, H) * 0.4;
    nodes.forEach(function (d, i) {
      var a = 2 * Math.PI * i / Math.max(n, 1);
      d.x = cx + R * Math.cos(a); d.y = cy + R * Math.sin(a);
    });
    if (n < 3 || n > 1500) return;
    var k = Math.min(Math.sqrt(W * H / n) * 0.75, 110), t = W / 8, iters = n > 400 ? 60 : 300;
    var dx = new Float64Array(n), dy = new Float64Array(n), far2 = 9 * k * k;
    for (var it = 0; it < iters; it++) {
      dx.fill(0); dy.fill(0);
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var ex = nodes[i].x - nodes[j].x, ey = nodes[i].y - nodes[j].y, d2 = ex * ex + ey * ey;
          if (d2 < 0.01) { ex = 0.1 * (i - j); ey = 0.1; d2 = ex * ex + ey * ey; }
          if (d2 > far2) continue;  // Bounded range keeps components together.
          var f = k * k / d2;
          dx[i] += ex * f; dy[i] += ey * f; dx[j] -= ex * f; dy[j] -= ey * f;
        }
      }
      for (var m = 0; m < edges.length; m++) {
        var e = edges[m];
        if (e.s === e.t) continue;
        var a = nodes[e.s], b = nodes[e.t];
        var fx = a.x - b.x, fy = a.y - b.y, dist = Math.sqrt(fx * fx + fy * fy) || 0.01;
        var g = dist / k;
        dx[e.s] -= fx * g; dy[e.s] -= fy * g; dx[e.t] += fx * g; dy[e.t] += fy * g;
      }
      for (i = 0; i < n; i++) {
        dx[i] += (cx - nodes[i].x) * 0.08; dy[i] += (cy - nodes[i].y) * 0.08;
        var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
        if (len > 0) {
          var step = Math.min(len, t);
          nodes[i].x += dx[i] / len * step; nodes[i].y += dy[i] / len * step;
        }
      }
      t = Math.max(t * 0.97, 0.5);
    }
  }

  // ---- Drawing.
  function buildMarkers() {
    var defs = document.getElementById('kg-defs');
    data.quads.forEach(function (q) {
      var m = el('marker', { id: 'kg-arrow-' + q.name, viewBox: '0 0 10 10', refX: '9', refY: '5',
        markerWidth: '10', markerHeight: '10', markerUnits: 'userSpaceOnUse', orient: 'auto' }, defs);
      el('path', { d: 'M0,0 L10,5 L0,10 z', fill: q.color }, m);
    });
  }

  function assignCurves() {
    var groups = {};
    edges.forEach(function (e) {
      var key = Math.min(e.s, e.t) + ':' + Math.max(e.s, e.t);
      (groups[key] = groups[key] || []).push(e);
    });
    Object.keys(groups).forEach(function (key) {
      var g = groups[key];
      g.forEach(function (e, i) {
        var off = (i - (g.length - 1) / 2) * 28;
        if (g.length === 1 && g[0].s !== g[0].t) {
          var reverse = edges.some(function (o) { return o.s === e.t && o.t === e.s; });
          off = reverse ? 14 : 0;
        }
        e.bend = off;
      });
    });
  }

  function edgeGeometry(e) {
    var a = nodes[e.s], b = nodes[e.t], rb = radius(b);
    if (e.s === e.t) {
      var r = radius(a), lx = a.x, ly = a.y - r;
      var loop = 30 + Math.abs(e.bend);
      return { d: 'M' + lx + ',' + ly + ' C' + (lx - loop) + ',' + (ly - loop * 1.6) + ' ' + (lx + loop) + ',' +
               (ly - loop * 1.6) + ' ' + (a.x + r * 0.7) + ',' + (a.y - r * 0.7), lx: lx, ly: ly - loop * 1.2 };
    }
    var vx = b.x - a.x, vy = b.y - a.y, len = Math.sqrt(vx * vx + vy * vy) || 1;
    var sign = e.s < e.t ? 1 : -1;
    var nx = -vy / len * sign, ny = vx / len * sign;
    var mx = (a.x + b.x) / 2 + nx * e.bend * 2, my = (a.y + b.y) / 2 + ny * e.bend * 2;
    var ex = b.x - mx, ey = b.y - my, el2 = Math.sqrt(ex * ex + ey * ey) || 1;
    var tx = b.x - ex / el2 * (rb + 2), ty = b.y - ey / el2 * (rb + 2);
    return { d: 'M' + a.x.toFixed(1) + ',' + a.y.toFixed(1) + ' Q' + mx.toFixed(1) + ',' + my.toFixed(1) + ' ' +
             tx.toFixed(1) + ',' + ty.toFixed(1),
             lx: 0.25 * a.x + 0.5 * mx + 0.25 * b.x, ly: 0.25 * a.y + 0.5 * my + 0.25 * b.y };
  }

  function edgeText(e) { return (e.neg ? 'not ' : '') + e.rel + ' (' + e.shown + ')'; }

  function drawEdges() {
    var showLabels = edges.length <= 80;
    edges.forEach(function (e, i) {
      var g = el('g', { 'class': 'kg-edge' + (e.neg ? ' negated' : ''), 'data-index': String(i) }, edgeLayer);
      e.hit = el('path', { 'class': 'hit' }, g);
      e.line = el('path', { 'class': 'line', stroke: e.color, 'marker-end': 'url(#kg-arrow-' + e.quad + ')' }, g);
      if (showLabels) e.label = el('text', { 'text-anchor': 'middle', fill: e.color }, g);
      e.g = g;
      g.addEventListener('mouseenter', function (ev) { showTooltip(ev, e); });
      g.addEventListener('mousemove', function (ev) { moveTooltip(ev); });
      g.addEventListener('mouseleave', hideTooltip);
      g.addEventListener('click', function (ev) { ev.stopPropagation(); selectEdge(e); });
      placeEdge(e);
    });
  }

  function placeEdge(e) {
    var geo = edgeGeometry(e);
    e.hit.setAttribute('d', geo.d);
    e.line.setAttribute('d', geo.d);
    if (e.label) { e.label.setAttribute('x', geo.lx.toFixed(1)); e.label.setAttribute('y', (geo.ly - 3).toFixed(1)); }
  }

  function drawNodes() {
    nodes.forEach(function (d, i) {
      var g = el('g', { 'class': 'kg-node' + (d.centre ? ' centre' : ''), 'data-index': String(i) }, nodeLayer);
      d.circle = el('circle', { r: radius(d).toFixed(1), fill: data.types[d.type] || '#eeeeee' }, g);
      d.text = el('text', { dy: '0.35em' }, g);
      d.text.textContent = d.name + (d.code ? ' (' + d.code + ')' : '');
      d.g = g;
      el('title', {}, g).textContent = d.name + (d.code ? ' ' + d.code : '') + ' — ' + plural(d.degree, 'event');
      g.addEventListener('click', function (ev) { ev.stopPropagation(); selectNode(d); });
      g.addEventListener('pointerdown', function (ev) { startNodeDrag(ev, d); });
      placeNode(d);
    });
  }

  function placeNode(d) {
    d.g.setAttribute('transform', 'translate(' + d.x.toFixed(1) + ',' + d.y.toFixed(1) + ')');
    d.text.setAttribute('x', (radius(d) + 3).toFixed(1));
  }

  // ---- Tooltip and details.
  function edgeSummary(e) {
    return nodes[e.s].name + (e.neg ? ' did not ' : ' ') + e.rel + ' ' + nodes[e.t].name;
  }
  function showTooltip(ev, e) {
    tooltip.textContent = '';
    html('strong', edgeSummary(e), tooltip);
    html('div', e.shown + ' of ' + plural(e.count, 'event') + (e.first ? ', ' + e.first + (e.last !== e.first ? ' to ' + e.last : '') : '') +
         (e.cameo ? ' · CAMEO ' + e.cameo + ' (' + e.quad + ')' : ''), tooltip);
    if (e.ev.length) html('div', '“' + e.ev[0].quote + '”', tooltip);
    tooltip.hidden = false;
    moveTooltip(ev);
  }
  function moveTooltip(ev) {
    var box = document.getElementById('kg-canvas').getBoundingClientRect();
    tooltip.style.left = Math.min(ev.clientX - box.left + 12, box.width - 370) + 'px';
    tooltip.style.top = (ev.clientY - box.top + 12) + 'px';
  }
  function hideTooltip() { tooltip.hidden = true; }

  function clearSelection() {
    if (selected) selected.g.classList.remove('selected');
    selected = null;
  }
  function selectEdge(e) {
    clearSelection();
    selected = e; e.g.classList.add('selected');
    details.textContent = '';
    html('h3', edgeSummary(e), details);
    var meta = plural(e.count, 'event') + ' in ' + plural(e.docs, 'document');
    if (e.first) meta += ', ' + e.first + (e.last !== e.first ? ' to ' + e.last : '');
    html('p', meta, details, 'muted');
    if (e.cameo) html('p', 'CAMEO ' + e.cameo + ' · ' + e.quad + ' · Goldstein ' + e.goldstein, details, 'muted');
    html('h2', 'Evidence', details);
    var list = html('ol', null, details);
    e.ev.forEach(function (q) {
      var li = html('li', null, list);
      html('div', (q.date || 'undated') + ' · ' + q.doc + (q.title ? ' — ' + q.title : ''), li, 'muted');
      html('blockquote', q.quote, li);
      if (q.speaker) html('div', 'according to ' + q.speaker, li, 'muted');
    });
    if (e.more > 0) html('p', e.more + ' more events are not embedded in this page (see the JSON Lines export).', details, 'muted');
  }
  function selectNode(d) {
    clearSelection();
    selected = d; d.g.classList.add('selected');
    details.textContent = '';
    html('h3', d.name, details);
    html('p', [d.code, d.type, plural(d.degree, 'event')].filter(Boolean).join(' · '), details, 'muted');
    if (d.aliases.length) html('p', 'Also: ' + d.aliases.join(', '), details, 'muted');
    html('h2', 'Edges', details);
    var list = html('ol', null, details);
    edges.forEach(function (e) {
      if (e.s !== nodes.indexOf(d) && e.t !== nodes.indexOf(d)) return;
      var li = html('li', null, list);
      var a = html('a', edgeSummary(e) + ' (' + e.shown + ')', li);
      a.addEventListener('click', function () { selectEdge(e); });
    });
  }

  // ---- Filters.
  function countInRange(e) {
    if (!dateFrom && !dateTo) return e.count;
    var n = 0;
    e.dates.forEach(function (p) {
      if (!p[0]) return;
      if (dateFrom && p[0] < dateFrom) return;
      if (dateTo && p[0] > dateTo) return;
      n += p[1];
    });
    return n;
  }
  function applyFilters() {
    var visibleEdges = 0, live = new Array(nodes.length).fill(false);
    edges.forEach(function (e) {
      e.shown = relationOn[e.rel] && quadOn[e.quad] ? countInRange(e) : 0;
      var on = e.shown > 0;
      e.g.style.display = on ? '' : 'none';
      if (on) {
        visibleEdges++; live[e.s] = live[e.t] = true;
        e.line.setAttribute('stroke-width', width(e.shown).toFixed(2));
        if (e.label) e.label.textContent = edgeText(e);
      }
    });
    var visibleNodes = 0;
    nodes.forEach(function (d, i) {
      var on = live[i] || d.centre || edges.length === 0;
      d.g.style.display = on ? '' : 'none';
      if (on) visibleNodes++;
    });
    statusEl.textContent = visibleNodes + ' of ' + nodes.length + ' actors, ' + visibleEdges + ' of ' +
                           edges.length + ' edges shown';
    statusEl.setAttribute('data-visible-nodes', String(visibleNodes));
    statusEl.setAttribute('data-visible-edges', String(visibleEdges));
  }

  function buildControls() {
    var rels = {}, quads = {}, minDate = '', maxDate = '';
    edges.forEach(function (e) {
      rels[e.rel] = (rels[e.rel] || 0) + e.count;
      quads[e.quad] = (quads[e.quad] || 0) + e.count;
      if (e.first && (!minDate || e.first < minDate)) minDate = e.first;
      if (e.last && (!maxDate || e.last > maxDate)) maxDate = e.last;
    });
    var relBox = document.getElementById('kg-relations');
    Object.keys(rels).sort().forEach(function (r) {
      relationOn[r] = true;
      var label = html('label', null, relBox);
      var box = html('input', null, label); box.type = 'checkbox'; box.checked = true; box.value = r;
      box.addEventListener('change', function () { relationOn[r] = box.checked; applyFilters(); });
      label.appendChild(document.createTextNode(' ' + r + ' (' + rels[r] + ')'));
    });
    function setAll(on) {
      relBox.querySelectorAll('input').forEach(function (b) { b.checked = on; relationOn[b.value] = on; });
      applyFilters();
    }
    document.getElementById('kg-rel-all').addEventListener('click', function () { setAll(true); });
    document.getElementById('kg-rel-none').addEventListener('click', function () { setAll(false); });
    var quadBox = document.getElementById('kg-quads');
    data.quads.forEach(function (q) {
      quadOn[q.name] = true;
      if (!quads[q.name]) return;
      var label = html('label', null, quadBox);
      var box = html('input', null, label); box.type = 'checkbox'; box.checked = true;
      box.addEventListener('change', function () { quadOn[q.name] = box.checked; applyFilters(); });
      var sw = html('span', null, label, 'swatch'); sw.style.background = q.color;
      label.appendChild(document.createTextNode(q.name + ' (' + quads[q.name] + ')'));
    });
    var from = document.getElementById('kg-from'), to = document.getElementById('kg-to');
    [from, to].forEach(function (input) { input.min = minDate; input.max = maxDate; });
    from.addEventListener('change', function () { dateFrom = from.value; applyFilters(); });
    to.addEventListener('change', function () { dateTo = to.value; applyFilters(); });
    document.getElementById('kg-date-range').textContent = minDate ? minDate + ' to ' + maxDate : 'no dated events';
    document.getElementById('kg-reset').addEventListener('click', fit);
  }

  // ---- Pan, zoom, drag.
  function applyView() {
    viewport.setAttribute('transform', 'translate(' + view.x.toFixed(2) + ',' + view.y.toFixed(2) + ') scale(' + view.k.toFixed(4) + ')');
  }
  function fit() {
    if (!nodes.length) return;
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach(function (d) {
      x0 = Math.min(x0, d.x - 20); y0 = Math.min(y0, d.y - 20);
      x1 = Math.max(x1, d.x + 200); y1 = Math.max(y1, d.y + 20);
    });
    var box = svg.getBoundingClientRect(), bw = box.width || W, bh = box.height || H;
    view.k = Math.min(bw / (x1 - x0), bh / (y1 - y0), 2);
    view.x = (bw - (x1 - x0) * view.k) / 2 - x0 * view.k;
    view.y = (bh - (y1 - y0) * view.k) / 2 - y0 * view.k;
    applyView();
  }
  function pointer(ev) {
    var box = svg.getBoundingClientRect();
    return { x: ev.clientX - box.left, y: ev.clientY - box.top };
  }
  svg.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var p = pointer(ev), factor = Math.exp(-ev.deltaY * 0.0015);
    var k = Math.max(0.05, Math.min(view.k * factor, 20));
    view.x = p.x - (p.x - view.x) * k / view.k; view.y = p.y - (p.y - view.y) * k / view.k; view.k = k;
    applyView();
  }, { passive: false });
  var drag = null;
  svg.addEventListener('pointerdown', function (ev) {
    if (drag) return;
    drag = { kind: 'pan', start: pointer(ev), x: view.x, y: view.y };
    svg.classList.add('panning');
  });
  function startNodeDrag(ev, d) {
    ev.stopPropagation();
    drag = { kind: 'node', node: d, start: pointer(ev), x: d.x, y: d.y };
  }
  window.addEventListener('pointermove', function (ev) {
    if (!drag) return;
    var p = pointer(ev);
    if (drag.kind === 'pan') {
      view.x = drag.x + p.x - drag.start.x; view.y = drag.y + p.y - drag.start.y; applyView();
    } else {
      var d = drag.node, i = nodes.indexOf(d);
      d.x = drag.x + (p.x - drag.start.x) / view.k; d.y = drag.y + (p.y - drag.start.y) / view.k;
      placeNode(d);
      edges.forEach(function (e) { if (e.s === i || e.t === i) placeEdge(e); });
    }
  });
  window.addEventListener('pointerup', function () { drag = null; svg.classList.remove('panning'); });
  svg.addEventListener('click', function () { clearSelection(); });

  // Deep links (also used by tests): #from=YYYY-MM-DD&to=...&relation=a,b&edge=N&actor=N
  function applyHash() {
    var params = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i > 0) params[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1));
    });
    if (params.from) { dateFrom = params.from; document.getElementById('kg-from').value = params.from; }
    if (params.to) { dateTo = params.to; document.getElementById('kg-to').value = params.to; }
    if (params.relation) {
      var keep = params.relation.split(',');
      document.querySelectorAll('#kg-relations input').forEach(function (b) {
        b.checked = keep.indexOf(b.value) >= 0; relationOn[b.value] = b.checked;
      });
    }
    applyFilters();
    if (params.edge && edges[+params.edge]) selectEdge(edges[+params.edge]);
    if (params.actor && nodes[+params.actor]) selectNode(nodes[+params.actor]);
  }

  layout();
  assignCurves();
  buildMarkers();
  drawEdges();
  drawNodes();
  buildControls();
  applyHash();
  fit();
  window.addEventListener('hashchange', applyHash);
  window.addEventListener('resize', fit);
  statusEl.setAttribute('data-nodes', String(nodes.length));
  statusEl.setAttribute('data-edges', String(edges.length));
  statusEl.setAttribute('data-rendered', 'true');
  document.body.setAttribute('data-kg-rendered', 'true');
})();
)KGJS";

}  // namespace kg::exporter::internal
