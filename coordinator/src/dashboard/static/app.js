// unum dashboard: one WebSocket to the coordinator (/ws), everything else
// drawn from its messages: hello, frame (nodes, vCPUs, hot cells, chart
// point), map (changed cells), console, inspect, control.
/* global window, document, location, uPlot, WebSocket */
(function () {
  'use strict';
  const { PageMap, nodeColour } = window.UnumPageMap;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const CHARTS = [['read faults/s', 0], ['write faults/s', 1], ['invalidations/s', 2], ['bytes/s', 3]];
  const HISTORY_POINTS = 600;
  const CONSOLE_KEEP = 200000;

  const map = new PageMap($('pagemap'), 512);
  let info = null;
  let charts = [];
  let series = null; // [t[], then per chart per node value arrays]
  let ws = null;
  let inspectTimer = null, hoverCell = -1;

  const fmt = (n) => n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(n % 1 ? 1 : 0);
  const bytes = (n) => n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 1024).toFixed(0)} KiB`;
  const swatch = (node) => `<span class="swatch" style="background:${nodeColour(node)}"></span>`;
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  const nodeName = (n) => (info && info.nodeNames[n]) || (n === window.UnumPageMap.NO_OWNER ? 'in flight' : `node ${n}`);

  function connect() {
    const q = new URLSearchParams();
    if (params.get('vm')) q.set('vm', params.get('vm'));
    if (params.get('token')) q.set('token', params.get('token'));
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?${q}`);
    ws.onmessage = (ev) => receive(JSON.parse(ev.data));
    ws.onclose = (ev) => {
      $('vm-state').textContent = ev.code === 4004 ? 'no VM' : 'disconnected';
      $('vm-state').className = 'badge stopped';
    };
  }

  function receive(m) {
    switch (m.type) {
      case 'hello': return hello(m);
      case 'frame': return frame(m.frame, m.point);
      case 'map': return map.apply(m);
      case 'console': return consoleOut(m.data);
      case 'inspect': return showInspect(m);
      case 'control': if (!m.ok) consoleOut(`\n[dashboard: ${m.op} failed: ${m.error}]\n`); return;
      default: return;
    }
  }

  function hello(m) {
    info = m.info;
    $('vm-title').textContent = `VM ${info.id}`;
    $('vm-knobs').textContent = `${info.nodeNames.length} node(s) · ${info.vcpus} vCPU(s) · ${bytes(info.memBytes)} · ${info.protocol} · unit ${info.unitBytes / 1024} KiB`;
    $('map-scale').textContent = '';
    $('legend').innerHTML = info.nodeNames.map((n, i) => `<span>${swatch(i)}${esc(n)}</span>`).join('') +
      '<span>brighter = more faults/s</span>';
    buildCharts(info.nodeNames.length, m.history);
    document.querySelector('#console-form').hidden = !m.console;
  }

  function buildCharts(nodes, history) {
    const el = $('charts');
    el.innerHTML = '';
    series = [[], ...CHARTS.map(() => Array.from({ length: nodes }, () => []))];
    for (const p of history) push(p);
    const width = Math.max(220, Math.floor((el.clientWidth - 24) / 4));
    charts = CHARTS.map(([title], k) => {
      const box = document.createElement('div');
      box.className = 'chart';
      box.innerHTML = `<h3>${title}</h3>`;
      el.appendChild(box);
      return new uPlot({
        width, height: 150,
        scales: { x: { time: false } },
        axes: [{ stroke: '#7d8a99', grid: { stroke: '#273340' }, values: (u, v) => v.map((s) => `${Math.round(s)}s`) },
          { stroke: '#7d8a99', grid: { stroke: '#273340' }, size: 64, values: (u, v) => v.map(k === 3 ? bytes : fmt) }],
        series: [{ label: 't' }, ...Array.from({ length: nodes }, (_, n) => ({ label: nodeName(n), stroke: nodeColour(n), width: 1.5, value: (u, v) => (v == null ? '-' : fmt(v)) }))],
        legend: { show: true },
      }, [series[0], ...series[k + 1]], box);
    });
  }

  function push(p) {
    series[0].push(p.t);
    CHARTS.forEach((_, k) => series[k + 1].forEach((arr, n) => arr.push(p.nodes[n] ? p.nodes[n][k] : null)));
    if (series[0].length > HISTORY_POINTS) series.forEach((s, i) => (i === 0 ? s.shift() : s.forEach((a) => a.shift())));
  }

  function frame(f, point) {
    info = f.info;
    const st = $('vm-state');
    st.textContent = f.info.state;
    st.className = `badge ${f.info.state}`;
    $('btn-pause').disabled = f.info.state !== 'running';
    $('btn-resume').disabled = f.info.state !== 'paused';
    $('btn-stop').disabled = f.info.state === 'stopped' || f.info.state === 'stopping';
    $('map-scale').textContent = `· ${f.cells} cells × ${f.unitsPerCell} unit(s) of ${f.info.unitBytes / 1024} KiB`;
    $('nodes').tBodies[0].innerHTML = f.nodes.map((n) => `<tr>
      <td>${swatch(n.node)}${esc(n.name)}</td>
      <td class="${n.alive ? '' : 'dead'}">${n.alive ? `yes (${n.heartbeatMsAgo} ms)` : 'LOST'}</td>
      <td>${bytes(n.framesUsed * 4096)} / ${bytes(n.frames * 4096)}</td><td>${bytes(n.rssBytes)}</td><td>${bytes(n.swapBytes)}</td>
      <td>${fmt(n.rates.readFaults)}</td><td>${fmt(n.rates.writeFaults)}</td><td>${fmt(n.rates.invalidations)}</td><td>${bytes(n.rates.bytes)}</td>
      <td>${fmt(n.rates.ioRequests)}</td><td>${fmt(n.rates.ioDsmMessages)}</td></tr>`).join('');
    $('vcpus').tBodies[0].innerHTML = f.vcpus.map((v) => `<tr data-hart="${v.hart}">
      <td>vCPU ${v.hart}</td><td>${swatch(v.node)}${esc(nodeName(v.node))}</td>
      <td class="state state-${v.state}">${v.state === 'stalled' ? 'stalled (page fault)' : v.state}</td><td>${fmt(v.ips)}</td></tr>`).join('');
    $('hot').tBodies[0].innerHTML = f.hot.map((h) => `<tr data-cell="${h.cell}"><td>${h.gpa}</td><td>${h.pages}</td>
      <td>${swatch(h.owner)}${esc(nodeName(h.owner))}</td><td>${fmt(h.rate)}</td><td>${h.faults}</td></tr>`).join('') ||
      '<tr><td colspan="5" class="muted">no faults in the last sample</td></tr>';
    if (point && series) {
      push(point);
      charts.forEach((c, k) => c.setData([series[0], ...series[k + 1]]));
    }
  }

  function consoleOut(text) {
    const pre = $('console');
    const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.textContent = (pre.textContent + text).slice(-CONSOLE_KEEP);
    if (atEnd) pre.scrollTop = pre.scrollHeight;
  }

  function showInspect(m) {
    const lines = [`cell ${m.cell}: ${m.gpaFrom}–${m.gpaTo} (${m.units} unit(s))`,
      `owned by: ${m.ownedBy.map((c, n) => `${nodeName(n)} ${c}`).join(', ')}`,
      `faults:   ${m.faultsBy.map((c, n) => `${nodeName(n)} ${c}`).join(', ')}`];
    for (const d of m.detail.slice(0, 6)) {
      lines.push(`${d.gpa}  owner ${d.owner >= 0 ? nodeName(d.owner) : 'in flight'}  copyset [${d.copyset.map(nodeName).join(', ')}]`,
        `   rd ${d.readFaults.join('/')}  wr ${d.writeFaults.join('/')}  inv ${d.invalidations.join('/')}  (per node)`);
    }
    $('inspect').textContent = lines.join('\n');
    const tip = $('map-tip');
    if (m.cell === hoverCell) tip.textContent = `${m.gpaFrom} · owner ${nodeName(map.ownerOf(m.cell))}` +
      (m.detail[0] ? ` · copyset [${m.detail[0].copyset.map(nodeName).join(', ')}] · faults ${m.faultsBy.reduce((a, b) => a + b, 0)}` : '');
  }

  $('pagemap').addEventListener('mousemove', (ev) => {
    const cell = map.cellAt(ev);
    const tip = $('map-tip');
    if (cell < 0) { tip.hidden = true; hoverCell = -1; return; }
    tip.hidden = false;
    tip.style.left = `${ev.offsetX + 14}px`;
    tip.style.top = `${ev.offsetY + 10}px`;
    if (cell === hoverCell) return;
    hoverCell = cell;
    tip.textContent = `cell ${cell} · owner ${nodeName(map.ownerOf(cell))}`;
    clearTimeout(inspectTimer); // one inspect per pause of the mouse, not per pixel
    inspectTimer = setTimeout(() => ws && ws.readyState === 1 && ws.send(JSON.stringify({ type: 'inspect', cell })), 120);
  });
  $('pagemap').addEventListener('mouseleave', () => { $('map-tip').hidden = true; hoverCell = -1; });

  for (const b of document.querySelectorAll('header button')) {
    b.addEventListener('click', () => ws && ws.send(JSON.stringify({ type: 'control', op: b.dataset.op })));
  }
  $('console-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = $('console-input');
    ws.send(JSON.stringify({ type: 'input', data: `${input.value}\n` }));
    input.value = '';
  });

  connect();
})();
