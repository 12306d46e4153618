// leanscope pages: theme toggle, and one uPlot chart per client panel.
// The data contract with the page writer is documented in one place:
// docs/ARCHITECTURE.md, "Page data". In short, each chart section holds
// a script.chart-data block with data-encoding "deflate-base64": its JSON
// deflated and in base64, {"x":[first time in
// s, then deltas],"panels":[{"p":panel index,"lines":[{"l":label,"c":color
// slot,"a":1 (right-hand axis, optional),"s":[last,min,max,mean],"k":n
// (optional: the numbers of v are the values times 10^n),"v":[values]}]}]}
// where a value is a number, null (a break in the line), false (no sample:
// joined) or "inf"/"-inf" (drawn at the edge);
// optionally class="chart-tiers" (reference lines), "chart-annotations"
// (markers, shaded spans and findings per panel) and, for distributions,
// "chart-bars". After drawing, <body> carries data-charts-rendered,
// data-chart-errors and data-charts-ms.
(function () {
  'use strict';
  var root = document.documentElement;
  var THEME_KEY = 'leanscope-theme';
  var charts = [];      // {u, section}
  var observers = [];
  var errors = 0;
  var pendingLegends = [];
  function flushLegends() {
    var todo = pendingLegends;
    pendingLegends = [];
    todo.forEach(function (f) { f(); });
  }

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
  // Throughput is drawn in bits per second, as EIP-7870 states its tiers;
  // the data is in bytes per second.
  function valueText(unit, v) {
    if (v == null || isNaN(v)) return '–';
    if (unit === 'bytes_per_sec') return si(v * 8, 'bps');
    if (unit === 'bytes') return si(v, 'B');
    if (unit === 'pct') return v.toFixed(1) + ' %';
    if (unit === 'seconds') return Math.abs(v) < 1 ? (v * 1000).toFixed(Math.abs(v) < 0.01 ? 2 : 1) + ' ms' : v.toFixed(2) + ' s';
    if (unit === 'cores') return v.toFixed(2);
    if (unit === 'per_sec') return count(v) + '/s';
    return count(v);
  }
  function axisText(unit, v) {
    if (unit === 'bytes_per_sec') return v === 0 ? '0' : si(v * 8, 'bps', 1).replace('.0 ', ' ');
    if (unit === 'bytes') return v === 0 ? '0' : si(v, 'B', 1).replace('.0 ', ' ');
    if (unit === 'pct') return v + ' %';
    if (unit === 'seconds') return v === 0 ? '0' : Math.abs(v) < 1 ? +(v * 1000).toFixed(3) + ' ms' : v + ' s';
    return Math.abs(v) >= 1000 ? si(v, '').trim() : String(+v.toFixed(6));
  }
  // The y axis title: the section's label and its unit.
  var UNIT_TITLES = { pct: '%', bytes_per_sec: 'bit/s', bytes: 'bytes', seconds: 'seconds', slots: 'slots',
                      cores: 'CPU cores', per_sec: 'per second' };
  function axisTitle(label, unit) {
    var t = UNIT_TITLES[unit];
    return t && (label || '').indexOf(t) < 0 ? (label ? label + ' (' + t + ')' : t) : (label || '');
  }
  // Counts and slots step by whole numbers: never a 0.5 tick.
  var WHOLE_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2.5e3, 5e3, 1e4, 2e4, 2.5e4, 5e4,
                     1e5, 2e5, 2.5e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 1e9, 1e10, 1e11, 1e12];
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
  // A block with data-encoding="deflate-base64" (the chart data) holds its
  // JSON deflated and in base64: inflated once, before drawing, by the
  // browser's DecompressionStream; readJson then hands out what it held.
  var inflated = new WeakMap();  // block element -> {value} or {error}
  function inflate(base64) {
    if (typeof DecompressionStream === 'undefined') {
      return Promise.reject(new Error('this browser cannot inflate chart data (no DecompressionStream)'));
    }
    var raw = atob(base64.trim()), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'))).text();
  }
  function inflateBlocks(scope) {
    var blocks = scope.querySelectorAll('script[data-encoding="deflate-base64"]');
    var work = [];
    Array.prototype.forEach.call(blocks, function (el) {
      if (inflated.has(el)) return;
      work.push(Promise.resolve().then(function () { return inflate(el.textContent); }).then(
        function (text) { inflated.set(el, { value: JSON.parse(text) }); },
        function (e) { inflated.set(el, { error: e }); }));
    });
    return Promise.all(work);
  }
  function readJson(section, cls) {
    var el = section.querySelector('script.' + cls);
    if (!el) return null;
    if (!el.hasAttribute('data-encoding')) return JSON.parse(el.textContent);
    var got = inflated.get(el);
    if (!got) throw new Error('chart data not inflated');
    if (got.error) throw got.error;
    return got.value;
  }
  function decodeTimes(x) {
    var out = new Array(x.length), t = 0;
    for (var i = 0; i < x.length; i++) { t = i === 0 ? x[0] : t + x[i]; out[i] = t; }
    return out;
  }
  // false: no sample (joined over); "inf"/"-inf": a real infinite sample,
  // drawn at the line's highest / lowest finite value rather than as a gap.
  // k: the numbers are the values times 10^k.
  function decodeValues(v, k) {
    var out = new Array(v.length), hi = null, lo = null, inf = false, div = k ? Math.pow(10, k) : 1;
    for (var i = 0; i < v.length; i++) {
      var x = v[i];
      if (x === false) { out[i] = undefined; continue; }
      if (x === 'inf' || x === '-inf') { inf = true; out[i] = x; continue; }
      if (typeof x === 'number' && div !== 1) x = x / div;
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
      var above = [];
      tiers.forEach(function (t) {
        var y = Math.round(u.valToPos(t.y, 'y', true));
        if (y < top) above.push(t);
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
        // Inside the plot: below the line when it runs along the top.
        var below = y - 13 * dpr < top;
        ctx.textBaseline = below ? 'top' : 'bottom';
        // Labels of close tiers alternate sides so they do not overlap.
        var right = Math.abs(y - lastLabelY) < 13 * dpr ? !lastRight : false;
        ctx.textAlign = right ? 'right' : 'left';
        ctx.fillText(t.label, right ? u.bbox.left + u.bbox.width - 4 * dpr : u.bbox.left + 4 * dpr,
                     below ? y + 2 * dpr : y - 2 * dpr);
        lastLabelY = y;
        lastRight = right;
        ctx.restore();
      });
      if (above.length) {
        ctx.save();
        ctx.fillStyle = colors.tier;
        ctx.font = (10 * dpr) + 'px system-ui, sans-serif';
        ctx.textBaseline = 'top';
        ctx.textAlign = 'right';
        ctx.fillText('↑ EIP-7870 tiers above the scale: ' + above.map(function (t) { return t.label.split(' (')[0]; }).join(', '),
                     u.bbox.left + u.bbox.width - 4 * dpr, top + 2 * dpr);
        ctx.restore();
      }
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
      // Findings: a red span (a marker when it has no length) labelled by kind.
      (notes.f || []).forEach(function (f) {
        var a = u.valToPos(f[0], 'x', true), b = u.valToPos(f[1], 'x', true);
        if (b < left || a > right) return;
        a = Math.max(left, a); b = Math.min(right, b);
        ctx.fillStyle = colors.finding;
        ctx.globalAlpha = 0.16;
        ctx.fillRect(a, top, Math.max(b - a, 3 * dpr), height);
        ctx.globalAlpha = 1;
        ctx.fillRect(a, top + height - 3 * dpr, Math.max(b - a, 3 * dpr), 3 * dpr);
        ctx.textAlign = a + 60 * dpr > right ? 'right' : 'left';
        ctx.fillText(String(f[2]), ctx.textAlign === 'right' ? b - 2 * dpr : a + 2 * dpr, top + 14 * dpr);
      });
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
             shade: get('--shade') || '#d97706', marker: get('--marker') || get('--axis'),
             finding: get('--finding') || '#dc2626' };
  }

  // The legend as a table (Grafana's legend table): last, min, max and mean
  // of every sample of each line before any hovering; the hovered value and
  // time while the cursor is on the chart. A click on a row hides the line.
  function buildLegend(figure, u, lines, unit) {
    var table = document.createElement('table');
    table.className = 'legend';
    var head = '<thead><tr><th></th><th class="num cur">last</th><th class="num">min</th><th class="num">max</th>' +
      '<th class="num">mean</th></tr></thead>';
    var body = '';
    lines.forEach(function (line, i) {
      var st = line.s || [null, null, null, null];
      body += '<tr data-series="' + (i + 1) + '"><th><span class="swatch" style="background:' + line.color +
        (line.dash ? ';opacity:0.6' : '') + '"></span></th><td class="num cur">' + valueText(unit, st[0]) +
        '</td><td class="num">' + valueText(unit, st[1]) + '</td><td class="num">' + valueText(unit, st[2]) +
        '</td><td class="num">' + valueText(unit, st[3]) + '</td></tr>';
    });
    table.innerHTML = head + '<tbody>' + body + '</tbody>';
    // Labels come from the page's data: set as text, never as HTML.
    var rows = table.querySelectorAll('tbody tr');
    for (var r = 0; r < rows.length; r++) {
      rows[r].firstChild.appendChild(document.createTextNode(' ' + lines[r].label));
      rows[r].addEventListener('click', function (e) {
        var i = +e.currentTarget.getAttribute('data-series');
        var show = !u.series[i].show;
        u.setSeries(i, { show: show });
        e.currentTarget.classList.toggle('off', !show);
      });
    }
    figure.appendChild(table);
    var cur = table.querySelectorAll('.cur');
    return function (idx) {
      cur[0].textContent = idx == null ? 'last' : timeText(u.data[0][idx]).slice(11, 19);
      for (var k = 0; k < lines.length; k++) {
        var v = idx == null ? (lines[k].s ? lines[k].s[0] : null) : u.data[k + 1][idx];
        cur[k + 1].textContent = valueText(unit, typeof v === 'number' ? v : null);
      }
    };
  }

  function rangeOf(lines, second) {
    var lo = null, hi = null;
    lines.forEach(function (line) {
      if (!line.s || !!line.a !== second) return;
      if (lo === null || line.s[1] < lo) lo = line.s[1];
      if (hi === null || line.s[2] > hi) hi = line.s[2];
    });
    return { lo: lo, hi: hi };
  }

  // One chart: `lines` are {label, color, dash, a, s, v} in one panel (or
  // every client's, overlaid).
  function makeChart(figure, width, xs, lines, cfg) {
    var unit = cfg.unit, hasSecond = lines.some(function (l) { return l.a; });
    var series = [{ value: function (u, v) { return timeText(v); } }];
    var rows = [xs];
    lines.forEach(function (line) {
      var one = { label: line.label, stroke: line.color, width: line.dash ? 1.2 : 1.5, spanGaps: false,
                  points: { show: false }, scale: line.a ? 'y2' : 'y',
                  value: function (u, v) { return valueText(unit, v); } };
      if (line.dash) one.dash = [5, 3];
      if (cfg.steps && uPlot.paths && uPlot.paths.stepped) one.paths = uPlot.paths.stepped({ align: 1 });
      series.push(one);
      rows.push(decodeValues(line.v, line.k));
    });
    var own = rangeOf(lines, false), own2 = rangeOf(lines, true);
    function range(shared, mine, tiers) {
      return function (u, min, max) {
        var r = shared || mine;
        var lo = r.lo != null ? r.lo : min, hi = r.hi != null ? r.hi : max;
        if (lo == null || hi == null) return [0, 1];
        lo = Math.min(0, lo);
        if (tiers) hi = Math.max(hi, cfg.maxTier * 1.1);
        if (hi === lo) hi = lo + 1;
        hi = hi + (hi - lo) * 0.05;
        if (cfg.whole && hi > 3) hi = Math.ceil(hi);
        return [lo, hi];
      };
    }
    var wholeY = cfg.whole && (own.hi == null || (cfg.shared || own).hi >= 3);
    var yAxis = {
      stroke: cfg.theme.axis, grid: { stroke: cfg.theme.grid, width: 1 }, ticks: { stroke: cfg.theme.grid, width: 1 },
      size: unit === 'bytes_per_sec' ? 78 : 62, label: cfg.title, labelSize: 18, labelFont: '12px system-ui, sans-serif',
      values: function (u, splits) { return splits.map(function (v) { return axisText(unit, v); }); }
    };
    if (wholeY) yAxis.incrs = WHOLE_STEPS;
    var axes = [
      { stroke: cfg.theme.axis, grid: { stroke: cfg.theme.grid, width: 1 }, ticks: { stroke: cfg.theme.grid, width: 1 },
        values: timeTicks },
      yAxis
    ];
    var scales = { x: { time: true }, y: { range: range(cfg.shared, own, cfg.fitTiers) } };
    if (hasSecond) {
      scales.y2 = { range: range(cfg.shared2, own2, false) };
      var y2 = { scale: 'y2', side: 1, stroke: cfg.theme.axis, grid: { show: false }, ticks: { stroke: cfg.theme.grid, width: 1 },
                 size: 56, label: 'right axis: ' + lines.filter(function (l) { return l.a; })[0].label.split(' ')[0],
                 labelSize: 18, labelFont: '12px system-ui, sans-serif',
                 values: function (u, splits) { return splits.map(function (v) { return axisText(unit, v); }); } };
      if (cfg.whole && (cfg.shared2 || own2).hi >= 3) y2.incrs = WHOLE_STEPS;
      axes.push(y2);
    }
    var legendUpdate = null;
    var u = new uPlot({
      width: Math.max(240, width || 400),
      height: cfg.height,
      legend: { show: false },
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      cursor: { sync: { key: cfg.key, setSeries: false }, drag: { x: true, y: false, setScale: true } },
      scales: scales,
      axes: axes,
      series: series,
      hooks: {
        draw: cfg.draw,
        setCursor: [function (u) { if (legendUpdate) legendUpdate(u.cursor.idx); }],
        setScale: cfg.setScale
      }
    }, rows, figure);
    // Legends are added once every chart of the page is drawn (one batch of
    // DOM writes rather than one between each pair of charts).
    pendingLegends.push(function () { legendUpdate = buildLegend(figure, u, lines, unit); });
    return u;
  }

  function clientName(grid, p) {
    var cap = grid.querySelector('[data-panel="' + p + '"] figcaption');
    return cap && cap.firstChild ? cap.firstChild.textContent : 'panel ' + p;
  }

  function buildSection(section, theme) {
    var grid = section.querySelector('.charts');
    if (!grid) return;
    if (grid.getAttribute('data-kind') === 'bars') { buildBars(section, theme); return; }
    var steps = grid.getAttribute('data-kind') === 'steps';
    var notes = readJson(section, 'chart-annotations') || {};
    var data;
    try {
      data = readJson(section, 'chart-data');
    } catch (e) {
      // Chart data that cannot be read (a browser without
      // DecompressionStream, a damaged file): each panel says why.
      grid.querySelectorAll('[data-panel] .chart').forEach(function (figure) {
        errors++;
        figure.textContent = 'Chart error: ' + (e && e.message ? e.message : e);
      });
      if (window.console) console.error(e);
      return;
    }
    if (!data || !data.panels || data.panels.length === 0) return;
    var unit = grid.getAttribute('data-unit');
    var tiers = mergeTiers(readJson(section, 'chart-tiers'));
    var fitTiers = tiers.length > 0 && section.getAttribute('data-fit') === 'tiers';
    var maxTier = tiers.reduce(function (m, t) { return Math.max(m, t.y); }, 0);
    var key = 'leanscope-' + section.id;
    var sync = uPlot.sync(key);
    var xs = decodeTimes(data.x);
    var palette = theme.palette;
    var colors = { rx: palette[0], tx: palette[3], tier: theme.tier, shade: theme.shade, marker: theme.marker,
                   finding: theme.finding };
    var own = [];
    var syncing = false;
    var sameBox = section.querySelector('.same-y input');
    var same = !sameBox || sameBox.checked;
    var overlaid = section.getAttribute('data-view') === 'all';
    var all = [];
    data.panels.forEach(function (panel) { all = all.concat(panel.lines); });
    var cfg = {
      unit: unit, steps: steps, theme: theme, key: key, height: 210, fitTiers: fitTiers, maxTier: maxTier,
      whole: unit === 'count' || unit === 'slots', title: axisTitle(grid.getAttribute('data-ylabel'), unit),
      shared: same ? rangeOf(all, false) : null, shared2: same ? rangeOf(all, true) : null,
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
    };

    // Every width is read before any chart is added: reading one after
    // adding a chart would force the browser to lay out the page again.
    var overlayFigure = grid.querySelector('[data-overlay] .chart');
    var figures = data.panels.map(function (panel) {
      return grid.querySelector('[data-panel="' + panel.p + '"] .chart');
    });
    var widths = figures.map(function (figure) { return figure ? figure.clientWidth : 0; });
    var overlayWidth = overlayFigure && overlaid ? overlayFigure.clientWidth : 0;

    function add(u, figure, height) {
      sync.sub(u);
      own.push(u);
      charts.push({ u: u, section: section });
      if (window.ResizeObserver) {
        var ro = new ResizeObserver(function () {
          var w = Math.max(240, figure.clientWidth);
          if (w > 240 && Math.abs(w - u.width) > 1) u.setSize({ width: w, height: height });
        });
        ro.observe(figure);
        observers.push({ o: ro, section: section });
      }
    }
    function failed(figure, e) {
      errors++;
      figure.textContent = 'Chart error: ' + (e && e.message ? e.message : e);
      if (window.console) console.error(e);
    }

    if (overlaid && overlayFigure) {
      // Every client in one chart: one colour per client (its panel's
      // position, the same in every section), one dash per line of a panel.
      try {
        var lines = [];
        data.panels.forEach(function (panel) {
          var name = clientName(grid, panel.p);
          panel.lines.forEach(function (line, li) {
            lines.push({ label: panel.lines.length > 1 ? name + ' · ' + line.l : name, color: palette[panel.p % 8],
                         dash: li > 0, a: line.a, s: line.s, k: line.k, v: line.v });
          });
        });
        var o = Object.assign({}, cfg, { height: 320, draw: tiers.length ? [drawTiers(tiers, colors)] : [] });
        add(makeChart(overlayFigure, overlayWidth, xs, lines, o), overlayFigure, 320);
      } catch (e) { failed(overlayFigure, e); }
    } else {
      data.panels.forEach(function (panel, index) {
        var figure = figures[index];
        if (!figure) return;
        try {
          var lines = panel.lines.map(function (line) {
            return { label: line.l, color: palette[line.c % 8], a: line.a, s: line.s, k: line.k, v: line.v };
          });
          var c = Object.assign({}, cfg, {
            draw: (tiers.length ? [drawTiers(tiers, colors)] : []).concat(
              notes[panel.p] ? [drawAnnotations(notes[panel.p], colors)] : [])
          });
          add(makeChart(figure, widths[index], xs, lines, c), figure, 210);
          if (notes[panel.p] && notes[panel.p].f) charts[charts.length - 1].findings = notes[panel.p].f.length;
        } catch (e) { failed(figure, e); }
      });
    }
    // Double-click: every panel of the section back to the full range.
    grid.ondblclick = function () {
      if (own.length === 0) return;
      syncing = true;
      own.forEach(function (u) { u.setScale('x', { min: xs[0], max: xs[xs.length - 1] }); });
      syncing = false;
    };
  }

  // Rebuilds one section's charts (a toggle changed how it is drawn).
  function rebuildSection(section) {
    inflateBlocks(section).then(function () { redrawSection(section); });
  }
  function redrawSection(section) {
    observers = observers.filter(function (o) { if (o.section !== section) return true; o.o.disconnect(); return false; });
    charts = charts.filter(function (c) { if (c.section !== section) return true; c.u.destroy(); return false; });
    section.querySelectorAll('table.legend').forEach(function (t) { t.remove(); });
    try { buildSection(section, themeColors()); } catch (e) { errors++; if (window.console) console.error(e); }
    flushLegends();
    reportRendered();
  }

  function destroyCharts() {
    observers.forEach(function (o) { o.o.disconnect(); });
    observers = [];
    var legends = document.querySelectorAll('table.legend');
    for (var i = 0; i < legends.length; i++) legends[i].remove();
    charts.forEach(function (c) { c.u.destroy(); });
    charts = [];
  }

  function reportRendered() {
    var findings = charts.reduce(function (n, c) { return n + (c.findings || 0); }, 0);
    document.body.setAttribute('data-charts-rendered', String(charts.length));
    document.body.setAttribute('data-findings-drawn', String(findings));
    document.body.setAttribute('data-chart-errors', String(errors));
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
      flushLegends();
    }
    reportRendered();
    // Milliseconds from navigation to charts drawn (HTML parsed, scripts run,
    // every chart built): what `make bench` reports as the page's open time.
    if (window.performance && performance.now) {
      document.body.setAttribute('data-charts-ms', String(Math.round(performance.now())));
    }
  }

  // Every chart of the page, once its data is inflated.
  function drawCharts() {
    return inflateBlocks(document).then(buildCharts);
  }

  function setTheme(theme) {
    root.setAttribute('data-theme', theme);
    showThemeName();
    drawCharts();  // chart colours are read from the theme's CSS variables
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
  function on(selector, event, handler) {
    var els = document.querySelectorAll(selector);
    for (var i = 0; i < els.length; i++) els[i].addEventListener(event, handler);
  }
  // The section controls; bound again when a live page swaps in new content.
  function bindControls() {
    // Bandwidth sections: scale to the traffic (the default) or to the
    // EIP-7870 tiers; the button says what a click will do.
    on('button.fit', 'click', function (e) {
      var button = e.currentTarget, section = button.closest('section');
      var next = section.getAttribute('data-fit') === 'tiers' ? 'data' : 'tiers';
      section.setAttribute('data-fit', next);
      button.textContent = next === 'tiers' ? 'Scale to the traffic' : 'Show the ' + button.getAttribute('data-tiers');
      rebuildSection(section);
    });
    // Every client in one chart, or one panel per client.
    on('button.view', 'click', function (e) {
      var button = e.currentTarget, section = button.closest('section');
      var all = section.getAttribute('data-view') !== 'all';
      section.setAttribute('data-view', all ? 'all' : 'panels');
      button.setAttribute('aria-pressed', all ? 'true' : 'false');
      button.textContent = all ? 'One panel per client' : 'All clients in one chart';
      var overlay = section.querySelector('[data-overlay]');
      if (overlay) overlay.hidden = !all;
      rebuildSection(section);
    });
    on('.same-y input', 'change', function (e) { rebuildSection(e.currentTarget.closest('section')); });
  }
  bindControls();
  showThemeName();
  drawCharts();

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
        bindControls();
        return drawCharts().then(function () {
          if (zoom) charts.forEach(function (c) { if (!c.section.querySelector('.charts[data-kind="bars"]')) c.u.setScale('x', zoom); });
        });
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
