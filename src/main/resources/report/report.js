(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  var PAGE = 100;

  // Every text from the data goes through textContent or setAttribute: never parsed as markup.
  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function svg(name, attrs, text) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function title(node, text) { node.appendChild(svg('title', {}, text)); return node; }
  function pct(x) { return (100 * x).toFixed(2) + '%'; }
  function color(i) { return COLORS[i % COLORS.length]; }
  function shortName(file) {
    var parts = String(file).split(/[\\/]/);
    var name = parts[parts.length - 1];
    var same = data.runs.filter(function (r) { return String(r.file).split(/[\\/]/).pop() === name; }).length;
    return same > 1 ? String(file) : name;
  }
  function truncate(text, max) { text = String(text); return text.length > max ? text.slice(0, max - 1) + '…' : text; }

  var scorerSelect = document.getElementById('scorer');
  function scorer() { return scorerSelect.value; }

  function drawAccuracy() {
    var host = document.getElementById('accuracy-chart');
    host.textContent = '';
    var left = 190, width = 520, rowH = 30, top = 10;
    var height = top + rowH * data.runs.length + 30;
    var chart = svg('svg', { width: left + width + 30, height: height, role: 'img', 'aria-label': 'Accuracy with 95% confidence intervals' });
    for (var t = 0; t <= 10; t++) {
      var x = left + width * t / 10;
      chart.appendChild(svg('line', { x1: x, x2: x, y1: top, y2: height - 24, stroke: '#d9dde5' }));
      chart.appendChild(svg('text', { x: x, y: height - 8, 'text-anchor': 'middle' }, (t * 10) + '%'));
    }
    data.runs.forEach(function (run, i) {
      var s = run[scorer()];
      var y = top + rowH * i + rowH / 2;
      chart.appendChild(title(svg('text', { x: left - 10, y: y + 4, 'text-anchor': 'end' }, truncate(shortName(run.file), 26)), run.file));
      var lo = left + width * s.accuracy_ci95[0], hi = left + width * s.accuracy_ci95[1];
      chart.appendChild(title(svg('rect', { 'class': 'ci', x: lo, y: y - 5, width: Math.max(hi - lo, 1), height: 10, fill: color(i), 'fill-opacity': 0.35 }),
        '95% CI ' + pct(s.accuracy_ci95[0]) + ' – ' + pct(s.accuracy_ci95[1])));
      chart.appendChild(title(svg('circle', { cx: left + width * s.accuracy, cy: y, r: 5, fill: color(i) }), 'accuracy ' + pct(s.accuracy)));
      chart.appendChild(svg('text', { x: Math.min(hi + 6, left + width - 60), y: y - 8 }, pct(s.accuracy)));
    });
    host.appendChild(chart);
  }

  function drawConfusion() {
    var host = document.getElementById('confusion-charts');
    host.textContent = '';
    data.runs.forEach(function (run) {
      var matrix = run[scorer()].confusion;
      var cell = 54, left = 170, top = 120;
      var cols = matrix.columns.length, rows = matrix.rows.length;
      var box = el('div', { 'class': 'chart' });
      box.appendChild(el('h3', { title: run.file }, shortName(run.file)));
      var chart = svg('svg', { width: left + cols * cell + 10, height: top + rows * cell + 24, role: 'img', 'aria-label': 'Confusion matrix' });
      matrix.columns.forEach(function (name, c) {
        var x = left + c * cell + cell / 2;
        chart.appendChild(title(svg('text', { x: x, y: top - 8, transform: 'rotate(-40 ' + x + ' ' + (top - 8) + ')' }, truncate(name, 18)), name));
      });
      matrix.rows.forEach(function (name, r) {
        var total = matrix.counts[r].reduce(function (a, b) { return a + b; }, 0);
        chart.appendChild(title(svg('text', { x: left - 8, y: top + r * cell + cell / 2 + 4, 'text-anchor': 'end' }, truncate(name, 22)), name));
        matrix.counts[r].forEach(function (n, c) {
          var share = total === 0 ? 0 : n / total;
          var fill = c === r ? 'rgba(27,127,59,' + (0.08 + 0.85 * share) + ')' : 'rgba(179,38,30,' + (n === 0 ? 0.03 : 0.08 + 0.85 * share) + ')';
          chart.appendChild(title(svg('rect', { 'class': 'cell', x: left + c * cell, y: top + r * cell, width: cell - 2, height: cell - 2, fill: fill }),
            'gold ' + name + ', predicted ' + matrix.columns[c] + ': ' + n + ' (' + pct(share) + ' of the row)'));
          chart.appendChild(svg('text', { x: left + c * cell + cell / 2 - 1, y: top + r * cell + cell / 2 + 4, 'text-anchor': 'middle', fill: share > 0.55 ? '#fff' : '#1d2330' }, n));
        });
      });
      chart.appendChild(svg('text', { x: left, y: top + rows * cell + 18, fill: '#5b6475' }, 'rows: gold · columns: prediction · shade: share of the row'));
      box.appendChild(chart);
      host.appendChild(box);
    });
  }

  function drawF1() {
    var host = document.getElementById('f1-chart');
    host.textContent = '';
    var labels = data.runs.length ? data.runs[0][scorer()].per_class.map(function (m) { return m.label; }) : [];
    var left = 190, width = 480, barH = 14, gap = 12;
    var groupH = barH * data.runs.length + gap;
    var height = 10 + groupH * labels.length + 30;
    var chart = svg('svg', { width: left + width + 70, height: height, role: 'img', 'aria-label': 'Per-class F1' });
    for (var t = 0; t <= 10; t++) {
      var x = left + width * t / 10;
      chart.appendChild(svg('line', { x1: x, x2: x, y1: 10, y2: height - 24, stroke: '#d9dde5' }));
      chart.appendChild(svg('text', { x: x, y: height - 8, 'text-anchor': 'middle' }, (t / 10).toFixed(1)));
    }
    labels.forEach(function (label, l) {
      var y0 = 10 + l * groupH;
      chart.appendChild(title(svg('text', { x: left - 10, y: y0 + (groupH - gap) / 2 + 4, 'text-anchor': 'end' }, truncate(label, 26)), label));
      data.runs.forEach(function (run, i) {
        var m = run[scorer()].per_class.filter(function (x) { return x.label === label; })[0];
        var f1 = m ? m.f1 : 0;
        chart.appendChild(title(svg('rect', { 'class': 'bar', x: left, y: y0 + i * barH, width: Math.max(width * f1, 1), height: barH - 2, fill: color(i) }),
          shortName(run.file) + ' · ' + label + ': F1 ' + f1.toFixed(4) + (m ? ' (P ' + m.precision.toFixed(3) + ', R ' + m.recall.toFixed(3) + ')' : '')));
        chart.appendChild(svg('text', { x: left + width * f1 + 4, y: y0 + i * barH + barH - 4 }, f1.toFixed(3)));
      });
    });
    host.appendChild(chart);
    var legend = document.getElementById('f1-legend');
    legend.textContent = '';
    data.runs.forEach(function (run, i) {
      var item = el('span', { title: run.file });
      item.appendChild(el('i', { style: 'background:' + color(i) }));
      item.appendChild(document.createTextNode(shortName(run.file)));
      legend.appendChild(item);
    });
  }

  // The list of examples where the runs disagree, filterable and paged.
  var shown = PAGE;
  var search = document.getElementById('example-search');
  var goldFilter = document.getElementById('gold-filter');
  var runFilters = document.getElementById('run-filters');
  (data.labels || []).forEach(function (label) { goldFilter.appendChild(el('option', { value: label }, label)); });
  var runSelects = data.runs.map(function (run, i) {
    var wrap = el('label', { title: run.file }, shortName(run.file) + ' ');
    var select = el('select', { 'data-run': String(i) });
    [['', 'any'], ['right', 'right'], ['wrong', 'wrong']].forEach(function (o) { select.appendChild(el('option', { value: o[0] }, o[1])); });
    wrap.appendChild(select);
    runFilters.appendChild(wrap);
    select.addEventListener('change', function () { shown = PAGE; drawExamples(); });
    return select;
  });

  function matches(example) {
    var q = search.value.trim().toLowerCase();
    if (goldFilter.value && example.gold !== goldFilter.value) { return false; }
    for (var i = 0; i < runSelects.length; i++) {
      var want = runSelects[i].value, answer = example.answers[i];
      if (want === 'right' && !answer.right) { return false; }
      if (want === 'wrong' && answer.right) { return false; }
    }
    if (!q) { return true; }
    var hay = [example.id, example.text, example.gold].concat(example.answers.map(function (a) { return (a.prediction || '') + ' ' + (a.output || ''); }));
    return hay.join('\n').toLowerCase().indexOf(q) >= 0;
  }

  function drawExamples() {
    var head = document.getElementById('examples-head');
    var body = document.getElementById('examples-body');
    head.textContent = '';
    body.textContent = '';
    var headRow = el('tr');
    ['id', 'text', 'gold'].forEach(function (h) { headRow.appendChild(el('th', {}, h)); });
    data.runs.forEach(function (run) { headRow.appendChild(el('th', { title: run.file }, shortName(run.file))); });
    head.appendChild(headRow);
    var hits = data.examples.filter(matches);
    hits.slice(0, shown).forEach(function (example) {
      var row = el('tr', { 'class': 'example' });
      row.appendChild(el('td', {}, example.id));
      row.appendChild(el('td', { 'class': 'text' }, example.text));
      row.appendChild(el('td', {}, example.gold));
      example.answers.forEach(function (answer) {
        var td = el('td');
        var kind = answer.prediction === null ? 'none' : (answer.right ? 'right' : 'wrong');
        td.appendChild(el('span', { 'class': 'answer ' + kind }, answer.prediction === null ? 'no record' : answer.prediction));
        var detail = answer.error || answer.output;
        if (detail) {
          var details = el('details');
          details.appendChild(el('summary', {}, answer.error ? 'error' : 'answer'));
          details.appendChild(el('pre', {}, detail));
          td.appendChild(details);
        }
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    document.getElementById('examples-count').textContent = 'Showing ' + Math.min(shown, hits.length) + ' of ' + hits.length
      + ' matching examples (' + data.examples.length + ' in this report, ' + data.examplesTotal + ' in all).';
    document.getElementById('examples-more').hidden = hits.length <= shown;
  }

  search.addEventListener('input', function () { shown = PAGE; drawExamples(); });
  goldFilter.addEventListener('change', function () { shown = PAGE; drawExamples(); });
  document.getElementById('examples-more').addEventListener('click', function () { shown += PAGE; drawExamples(); });

  function drawCharts() { drawAccuracy(); drawConfusion(); drawF1(); }
  scorerSelect.addEventListener('change', drawCharts);
  drawCharts();
  drawExamples();
  document.body.setAttribute('data-rendered', 'true');
})();
