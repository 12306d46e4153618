// leanscope pages: theme toggle, and one uPlot chart per client panel.
// The data contract with the page writer is documented in one place:
// docs/ARCHITECTURE.md, "Page data". In short, each chart section holds
// <script type="application/json" class="chart-data">: {"x":[first time in
// s, then deltas],"panels":[{"p":panel index,"lines":[{"l":label,"c":color
// slot,"v":[values]}]}]} where a value is a number, null (a break in the
// line), false (no sample: joined) or "inf"/"-inf" (drawn at the edge);
// optionally class="chart-tiers" (reference lines), "chart-annotations"
// (markers and shaded spans per panel) and, for distributions,
// "chart-bars". After drawing, <body> carries data-charts-rendered,
// data-chart-errors and data-charts-ms.
(function () {
  'use strict';
  var root = document.documentElement;
  var THEME_KEY = 'leanscope-theme';
  var charts = [];      // {u, section}
  var observers = [];
  var errors = 0;

  function store(theme) {
    try { window.localStorage.setItem(THEME_KEY, theme); } catch (e) { /* file:// may forbid storage */ }
  }
  function stored() {
    try { return window.localStorage.getItem(THEME_KEY); } catch (e) { return null; }
  }
  function themeName() { return root.getAttribute('data-theme') === 'dark' ? 'dark' : 'light'; }
  function showThemeName() {
    var el = document.querySelector('#theme-toggle .theme-name');
    if (el) el.textContent = themeName() === 'dark' ? 'Dark' : 'Light';
  }

  // ---- numbers for people ----
  function si(v, suffix, digits) {
    var prefixes = ['', 'k', 'M', 'G', 'T'];
    var p = 0, a = Math.abs(v);
    while (a >= 1000 && p < prefixes.length - 1) { a /= 1000; v /= 1000; p++; }
    var d = digits != null ? digits : (a >= 100 || p === 0 ? 0 : a >= 10 ? 1 : 2);
    return v.toFixed(d) + ' ' + prefixes[p] + suffix;
  }
  function count(v) {
    if (Math.abs(v) >= 1e6) return si(v, '', 2).trim();
    var r = Math.abs(v - Math.round(v)) < 1e-9 ? Math.round(v) : v;
    return typeof r === 'number' && r % 1 !== 0 ? r.toFixed(Math.abs(r) >= 10 ? 1 : 2) : String(r);
  }
  function valueText(unit, v) {
    if (v == null || isNaN(v)) return '–';
    if (unit === 'bytes_per_sec') return si(v, 'B/s') + ' · ' + (v * 8 / 1e6).toFixed(2) + ' Mbps';
    if (unit === 'pct') return v.toFixed(1) + ' %';
    return count(v);
  }
  function axisText(unit, v) {
    if (unit === 'bytes_per_sec') return v === 0 ? '0' : si(v, 'B/s', 1).replace('.0 ', ' ');
    if (unit === 'pct') return v + ' %';
    return Math.abs(v) >= 1000 ? si(v, '').trim() : String(v);
  }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function timeText(s) {
    if (s == null) return '–';
    var d = new Date(s * 1000);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' +
      pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds()) + ' UTC';
  }

  // 24-hour UTC ticks; the date under the first tick of each day.
  function timeTicks(u, splits) {
    var prevDay = null;
    return splits.map(function (s) {
      var d = new Date(s * 1000);
      var day = pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
      var hm = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
      var label = prevDay === day ? hm : hm + '\n' + day;
      prevDay = day;
      return label;
    });
  }

  // ---- data ----
  function readJson(section, cls) {
    var el = section.querySelector('script.' + cls);
    return el ? JSON.parse(el.textContent) : null;
  }
  function decodeTimes(x) {
    var out = new Array(x.length), t = 0;
    for (var i = 0; i < x.length; i++) { t = i === 0 ? x[0] : t + x[i]; out[i] = t; }
    return out;
  }
  // false: no sample (joined over); "inf"/"-inf": a real infinite sample,
  // drawn at the line's highest / lowest finite value rather than as a gap.
  function decodeValues(v) {
    var out = new Array(v.length), hi = null, lo = null, inf = false;
    for (var i = 0; i < v.length; i++) {
      var x = v[i];
      if (x === false) { out[i] = undefined; continue; }
      if (x === 'inf' || x === '-inf') { inf = true; out[i] = x; continue; }
      out[i] = x;
      if (typeof x === 'number') { if (hi === null || x > hi) hi = x; if (lo === null || x < lo) lo = x; }
    }
    if (inf) {
      for (var k = 0; k < out.length; k++) {
        if (out[k] === 'inf') out[k] = hi === null ? 0 : hi;
        else if (out[k] === '-inf') out[k] = lo === null ? 0 : lo;
      }
    }
    return out;
  }
  // Tiers at the same value share one dashed line and label.
  function mergeTiers(tiers) {
    var byY = {};
    var out = [];
    (tiers || []).forEach(function (t) {
      if (byY[t.y]) { byY[t.y].label += ' · ' + t.label; byY[t.y].line = 'both'; return; }
      byY[t.y] = { y: t.y, label: t.label, line: t.line };
      out.push(byY[t.y]);
    });
    return out.sort(function (a, b) { return a.y - b.y; });
  }

  function drawTiers(tiers, colors) {
    return function (u) {
      var ctx = u.ctx, dpr = window.devicePixelRatio || 1;
      var top = u.bbox.top, bottom = u.bbox.top + u.bbox.height;
      var lastLabelY = -1e9, lastRight = true;
      tiers.forEach(function (t) {
        var y = Math.round(u.valToPos(t.y, 'y', true));
        if (y < top || y > bottom) return;
        ctx.save();
        ctx.strokeStyle = t.line === 'rx' ? colors.rx : t.line === 'tx' ? colors.tx : colors.tier;
        ctx.globalAlpha = 0.8;
        ctx.lineWidth = dpr;
        ctx.setLineDash([6 * dpr, 4 * dpr]);
        ctx.beginPath();
        ctx.moveTo(u.bbox.left, y);
        ctx.lineTo(u.bbox.left + u.bbox.width, y);
        ctx.stroke();
        ctx.globalAlpha = 1;
        ctx.fillStyle = colors.tier;
        ctx.font = (10 * dpr) + 'px system-ui, sans-serif';
        ctx.textBaseline = 'bottom';
        // Labels of close tiers alternate sides so they do not overlap.
        var right = Math.abs(y - lastLabelY) < 13 * dpr ? !lastRight : false;
        ctx.textAlign = right ? 'right' : 'left';
        ctx.fillText(t.label, right ? u.bbox.left + u.bbox.width - 4 * dpr : u.bbox.left + 4 * dpr, y - 2 * dpr);
        lastLabelY = y;
        lastRight = right;
        ctx.restore();
      });
    };
  }

  // Markers (a vertical dashed line with a label) and shaded spans of one
  // panel, from the section's chart-annotations.
  function drawAnnotations(notes, colors) {
    return function (u) {
      if (!notes) return;
      var ctx = u.ctx, dpr = window.devicePixelRatio || 1;
      var top = u.bbox.top, height = u.bbox.height, left = u.bbox.left, right = left + u.bbox.width;
      ctx.save();
      (notes.s || []).forEach(function (sp) {
        var a = Math.max(left, u.valToPos(sp[0], 'x', true)), b = Math.min(right, u.valToPos(sp[1], 'x', true));
        if (b < left || a > right) return;
        ctx.fillStyle = colors.shade;
        ctx.globalAlpha = 0.18;
        ctx.fillRect(a, top, Math.max(b - a, 2 * dpr), height);
        ctx.globalAlpha = 1;
      });
      ctx.font = (10 * dpr) + 'px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      (notes.m || []).forEach(function (m) {
        var x = Math.round(u.valToPos(m[0], 'x', true));
        if (x < left || x > right) return;
        ctx.strokeStyle = colors.marker;
        ctx.lineWidth = dpr;
        ctx.setLineDash([3 * dpr, 3 * dpr]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = colors.marker;
        var label = String(m[1]);
        var w = ctx.measureText(label).width;
        ctx.textAlign = x + w + 4 * dpr > right ? 'right' : 'left';
        ctx.fillText(label, ctx.textAlign === 'right' ? x - 2 * dpr : x + 2 * dpr, top + 2 * dpr);
      });
      ctx.restore();
    };
  }

  // A distribution: per category one bar per group, drawn side by side.
  function buildBars(section, theme) {
    var grid = section.querySelector('.charts');
    var data = readJson(section, 'chart-bars');
    var figure = grid ? grid.querySelector('[data-panel="0"] .chart') : null;
    if (!data || !figure || !data.categories || data.categories.length === 0) return;
    var unit = grid.getAttribute('data-unit');
    var n = data.categories.length, groups = data.groups || [];
    var xs = [];
    for (var i = 0; i < n; i++) xs.push(i);
    var series = [{ value: function (u, v) { return v == null ? '–' : data.categories[Math.round(v)] || ''; } }];
    var rows = [xs];
    var max = 0;
    groups.forEach(function (g) {
      series.push({
        label: g.l, stroke: theme.palette[g.c % 8], fill: theme.palette[g.c % 8], width: 0,
        points: { show: false }, paths: function () { return null; },
        value: function (u, v) { return valueText(unit, v); }
      });
      rows.push(g.v.map(function (v) { if (v != null && v > max) max = v; return v; }));
    });
    try {
      var u = new uPlot({
        width: Math.max(240, figure.clientWidth || 600), height: 260,
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false, range: [-0.5, n - 0.5] }, y: { range: [0, (max || 1) * 1.08] } },
        axes: [
          { stroke: theme.axis, grid: { show: false }, ticks: { stroke: theme.grid, width: 1 },
            splits: function () { return xs; },
            values: function (u, splits) { return splits.map(function (v) { return data.categories[v] || ''; }); } },
          { stroke: theme.axis, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 }, size: 60,
            values: function (u, splits) { return splits.map(function (v) { return axisText(unit, v); }); } }
        ],
        series: series,
        hooks: {
          draw: [function (u) {
            var ctx = u.ctx, k = groups.length;
            if (k === 0) return;
            var slot = (u.valToPos(1, 'x', true) - u.valToPos(0, 'x', true)) * 0.8;
            var w = slot / k;
            var y0 = u.valToPos(0, 'y', true);
            ctx.save();
            groups.forEach(function (g, gi) {
              if (u.series[gi + 1] && u.series[gi + 1].show === false) return;
              ctx.fillStyle = theme.palette[g.c % 8];
              for (var c = 0; c < n; c++) {
                var v = g.v[c];
                if (v == null || !(v > 0)) continue;
                var x = u.valToPos(c, 'x', true) - slot / 2 + gi * w;
                var y = u.valToPos(v, 'y', true);
                ctx.fillRect(x, y, Math.max(1, w - 1), y0 - y);
              }
            });
            ctx.restore();
          }]
        }
      }, rows, figure);
      charts.push({ u: u, section: section });
    } catch (e) {
      errors++;
      figure.textContent = 'Chart error: ' + (e && e.message ? e.message : e);
      if (window.console) console.error(e);
    }
  }

  // ---- charts ----
  // The theme's colours, read once per drawing: reading a computed style
  // after charts were added would make the browser recompute styles.
  function themeColors() {
    var style = getComputedStyle(root);
    var get = function (name) { return style.getPropertyValue(name).trim(); };
    var palette = [];
    for (var c = 0; c < 8; c++) palette.push(get('--c' + c));
    return { palette: palette, axis: get('--axis'), grid: get('--grid'), tier: get('--tier'),
             shade: get('--shade') || '#d97706', marker: get('--marker') || get('--axis') };
  }

  function buildSection(section, theme) {
    var grid = section.querySelector('.charts');
    if (!grid) return;
    if (grid.getAttribute('data-kind') === 'bars') { buildBars(section, theme); return; }
    var steps = grid.getAttribute('data-kind') === 'steps';
    var notes = readJson(section, 'chart-annotations') || {};
    var data = readJson(section, 'chart-data');
    if (!data || !data.panels || data.panels.length === 0) return;
    var unit = grid.getAttribute('data-unit');
    var tiers = mergeTiers(readJson(section, 'chart-tiers'));
    var fitTiers = tiers.length > 0 && section.getAttribute('data-fit') !== 'data';
    var maxTier = tiers.reduce(function (m, t) { return Math.max(m, t.y); }, 0);
    var key = 'leanscope-' + section.id;
    var sync = uPlot.sync(key);
    var xs = decodeTimes(data.x);
    var palette = theme.palette, axis = theme.axis, gridColor = theme.grid;
    var colors = { rx: palette[0], tx: palette[3], tier: theme.tier, shade: theme.shade, marker: theme.marker };
    var own = [];
    var syncing = false;

    // Every width is read before any chart is added: reading one after
    // adding a chart would force the browser to lay out the page again.
    var figures = data.panels.map(function (panel) {
      return grid.querySelector('[data-panel="' + panel.p + '"] .chart');
    });
    var widths = figures.map(function (figure) { return figure ? figure.clientWidth : 0; });

    data.panels.forEach(function (panel, index) {
      var figure = figures[index];
      if (!figure) return;
      try {
        var series = [{ value: function (u, v) { return timeText(v); } }];
        var rows = [xs];
        panel.lines.forEach(function (line) {
          series.push({
            label: line.l,
            stroke: palette[line.c % 8],
            width: 1.5,
            spanGaps: false,
            points: { show: false },
            value: function (u, v) { return valueText(unit, v); }
          });
          if (steps && uPlot.paths && uPlot.paths.stepped) series[series.length - 1].paths = uPlot.paths.stepped({ align: 1 });
          rows.push(decodeValues(line.v));
        });
        var opts = {
          width: Math.max(240, widths[index] || 400),
          height: 210,
          tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
          cursor: { sync: { key: key, setSeries: false }, drag: { x: true, y: false, setScale: true } },
          scales: {
            x: { time: true },
            y: {
              range: function (u, min, max) {
                if (min == null || max == null) return [0, 1];
                var lo = Math.min(0, min), hi = max;
                if (fitTiers) hi = Math.max(hi, maxTier * 1.1);
                if (hi === lo) hi = lo + 1;
                return [lo, hi + (hi - lo) * 0.05];
              }
            }
          },
          axes: [
            {
              stroke: axis, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 },
              values: timeTicks
            },
            {
              stroke: axis, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 },
              size: unit === 'bytes_per_sec' ? 80 : 60,
              values: function (u, splits) { return splits.map(function (v) { return axisText(unit, v); }); }
            }
          ],
          series: series,
          hooks: {
            draw: (tiers.length ? [drawTiers(tiers, colors)] : []).concat(
              notes[panel.p] ? [drawAnnotations(notes[panel.p], colors)] : []),
            setScale: [function (u, scaleKey) {
              if (scaleKey !== 'x' || syncing) return;
              syncing = true;
              own.forEach(function (other) {
                if (other !== u && (other.scales.x.min !== u.scales.x.min || other.scales.x.max !== u.scales.x.max)) {
                  other.setScale('x', { min: u.scales.x.min, max: u.scales.x.max });
                }
              });
              syncing = false;
            }]
          }
        };
        var u = new uPlot(opts, rows, figure);
        sync.sub(u);
        own.push(u);
        charts.push({ u: u, section: section });
        if (window.ResizeObserver) {
          var ro = new ResizeObserver(function () {
            var w = Math.max(240, figure.clientWidth);
            if (Math.abs(w - u.width) > 1) u.setSize({ width: w, height: 210 });
          });
          ro.observe(figure);
          observers.push(ro);
        }
      } catch (e) {
        errors++;
        figure.textContent = 'Chart error: ' + (e && e.message ? e.message : e);
        if (window.console) console.error(e);
      }
    });
    // Double-click: every panel of the section back to the full range.
    grid.ondblclick = function () {
      if (own.length === 0) return;
      syncing = true;
      own.forEach(function (u) { u.setScale('x', { min: xs[0], max: xs[xs.length - 1] }); });
      syncing = false;
    };
  }

  function destroyCharts() {
    observers.forEach(function (o) { o.disconnect(); });
    observers = [];
    charts.forEach(function (c) { c.u.destroy(); });
    charts = [];
  }

  function buildCharts() {
    destroyCharts();
    errors = 0;
    if (typeof uPlot !== 'undefined') {
      var sections = document.querySelectorAll('section');
      var theme = themeColors();
      for (var i = 0; i < sections.length; i++) {
        try { buildSection(sections[i], theme); } catch (e) { errors++; if (window.console) console.error(e); }
      }
    }
    document.body.setAttribute('data-charts-rendered', String(charts.length));
    document.body.setAttribute('data-chart-errors', String(errors));
    // Milliseconds from navigation to charts drawn (HTML parsed, scripts run,
    // every chart built): what `make bench` reports as the page's open time.
    if (window.performance && performance.now) {
      document.body.setAttribute('data-charts-ms', String(Math.round(performance.now())));
    }
  }

  function setTheme(theme) {
    root.setAttribute('data-theme', theme);
    showThemeName();
    buildCharts();  // chart colours are read from the theme's CSS variables
  }

  var toggle = document.getElementById('theme-toggle');
  if (toggle) {
    toggle.addEventListener('click', function () {
      var next = themeName() === 'dark' ? 'light' : 'dark';
      store(next);
      setTheme(next);
    });
  }
  if (window.matchMedia) {
    var media = window.matchMedia('(prefers-color-scheme: dark)');
    var follow = function (e) {
      var s = stored();
      if (s !== 'light' && s !== 'dark') setTheme(e.matches ? 'dark' : 'light');
    };
    if (media.addEventListener) media.addEventListener('change', follow);
  }
  // Bandwidth sections: scale to the EIP-7870 tiers or to the data.
  function bindFits() {
    var fits = document.querySelectorAll('button.fit');
    for (var f = 0; f < fits.length; f++) {
      fits[f].addEventListener('click', function (e) {
        var section = e.currentTarget.closest('section');
        var next = section.getAttribute('data-fit') === 'data' ? 'tiers' : 'data';
        section.setAttribute('data-fit', next);
        e.currentTarget.textContent = next === 'data' ? 'Scale: data' : 'Scale: EIP-7870 tiers';
        buildCharts();
      });
    }
  }
  bindFits();
  showThemeName();
  buildCharts();

  // Live pages (`leanscope watch`): served over HTTP, a page polls the
  // version.json beside it; when the version changes it fetches itself
  // again, swaps <main> and redraws, keeping a zoomed time range. Without
  // the file (plain `serve`, file://) nothing happens.
  function startLive() {
    if (!/^https?:$/.test(window.location.protocol) || !window.fetch || !window.DOMParser) return;
    var status = null, shown = null, timer = null, updated = null;
    function ago() {
      if (!status || !shown) return;
      var s = Math.max(0, Math.round((Date.now() - updated) / 1000));
      var text = shown.live ? 'live · updated ' + (s < 120 ? s + ' s' : Math.round(s / 60) + ' min') + ' ago'
                            : 'not live (' + (shown.note || 'the devnet has ended') + ')';
      if (shown.data_end) text += ' · data to ' + timeText(Date.parse(shown.data_end) / 1000);
      if (shown.live && shown.note) text += ' · ' + shown.note;
      status.textContent = text;
    }
    function zoomed() {
      for (var i = 0; i < charts.length; i++) {
        var u = charts[i].u, xs = u.data[0];
        if (charts[i].section.querySelector('.charts[data-kind="bars"]') || !xs.length) continue;
        if (u.scales.x.min > xs[0] || u.scales.x.max < xs[xs.length - 1]) return { min: u.scales.x.min, max: u.scales.x.max };
      }
      return null;
    }
    function refresh() {
      return window.fetch(window.location.pathname, { cache: 'no-store' }).then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.text();
      }).then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html').querySelector('main');
        var main = document.querySelector('main');
        if (!next || !main) return;
        var zoom = zoomed();
        main.innerHTML = next.innerHTML;
        bindFits();
        buildCharts();
        if (zoom) charts.forEach(function (c) { if (!c.section.querySelector('.charts[data-kind="bars"]')) c.u.setScale('x', zoom); });
      });
    }
    function poll() {
      window.fetch('version.json', { cache: 'no-store' }).then(function (r) {
        if (!r.ok) throw new Error('no version file');
        return r.json();
      }).then(function (v) {
        if (!status) {
          status = document.createElement('span');
          status.className = 'live-status';
          status.setAttribute('role', 'status');
          var bar = document.querySelector('.devnet-bar') || document.querySelector('.topbar');
          if (bar) bar.appendChild(status);
        }
        var changed = shown && v.version !== shown.version;
        if (!shown) document.body.setAttribute('data-live-version', String(v.version));
        if (!shown || changed) updated = Date.parse(v.updated) || Date.now();
        shown = v;
        ago();
        var next = function () { if (v.live) timer = setTimeout(poll, Math.max(1, v.poll_seconds || 5) * 1000); };
        if (!changed) return next();
        refresh().then(function () {
          document.body.setAttribute('data-live-version', String(v.version));
          next();
        }, next);
      }).catch(function () { if (shown && shown.live) timer = setTimeout(poll, 15000); });
    }
    setInterval(ago, 1000);
    poll();
  }
  startLive();
  // A link may ask for a theme (page.html#theme=dark) without storing it.
  var asked = /(?:^#|&)theme=(light|dark)(?:&|$)/.exec(window.location.hash);
  if (asked && asked[1] !== themeName()) setTheme(asked[1]);
})();
