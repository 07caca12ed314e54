'use strict';
(async () => {
  const { el, api } = Jiesu;
  const me = await Jiesu.start('/reports');
  const form = document.getElementById('period-form');
  const state = document.getElementById('state');
  const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
  const charts = {};
  const chart = (id) => (charts[id] ||= echarts.init(document.getElementById(id), null, { renderer: 'canvas' }));
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

  // Defaults: today, this ISO week, this month (in the street's zone).
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: me.timeZone }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  const thursday = new Date(d); thursday.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
  const week1 = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  const weekNo = 1 + Math.round(((thursday - week1) / 86400000 - 3 + ((week1.getUTCDay() + 6) % 7)) / 7);
  form.elements.day.value = today;
  form.elements.week.value = `${thursday.getUTCFullYear()}-W${String(weekNo).padStart(2, '0')}`;
  form.elements.month.value = today.slice(0, 7);
  for (const [k, n] of Object.entries(me.groups)) if (k !== 'consult') form.elements.group.append(el('option', { value: k }, n));
  const params = new URLSearchParams(location.search);
  if (params.get('period')) {
    const p = params.get('period');
    const kind = /W/.test(p) ? 'week' : p.length === 10 ? 'day' : 'month';
    form.elements.kind.value = kind;
    form.elements[kind].value = p;
  }
  const showKind = () => { for (const k of ['day', 'week', 'month']) form.elements[k].hidden = form.elements.kind.value !== k; };
  form.elements.kind.addEventListener('change', showKind);
  showKind();

  function figure(label, value) { return el('div', { class: 'figure' }, el('b', {}, value), el('span', {}, label)); }

  const FONT = 'system-ui, JiesuSC, sans-serif';
  function draw(r) {
    const names = { day: '日报', week: '周报', month: '月报' };
    document.getElementById('title').textContent = `${names[r.kind] || '报表'} ${r.period}${r.group ? `（${me.groups[r.group] || r.group}）` : ''}`;
    document.getElementById('figures').replaceChildren(
      figure('收件', r.received), figure('认领', r.claimed), figure('按时联系', r.contactedOnTime), figure('办结', r.resolved), figure('按时办结', r.resolvedOnTime),
      figure('逾期', r.overdue), figure('退单', r.returned), figure('延期', r.extended), figure('吹哨', r.whistled), figure('包案', r.leaderOwned), figure('重办', r.reopened),
      figure('回访', r.followedUp), figure('响应率', pct(r.responseRate)), figure('解决率', pct(r.solveRate)), figure('满意率', pct(r.satisfactionRate)), figure('综合得分', r.score === null ? '—' : (r.score * 100).toFixed(1)));
    const rows = r.byGroup.filter((g) => g.received || g.resolved || g.overdue);
    chart('chart-groups').setOption({
      textStyle: { fontFamily: FONT },
      title: { text: '各单位收件 / 办结 / 逾期', left: 'center', textStyle: { fontSize: 14 } }, tooltip: { trigger: 'axis' }, legend: { bottom: 0 },
      grid: { left: 40, right: 10, top: 40, bottom: 60, containLabel: true },
      xAxis: { type: 'category', data: rows.map((g) => g.name || g.group), axisLabel: { interval: 0, rotate: rows.length > 5 ? 30 : 0 } }, yAxis: { type: 'value', minInterval: 1 },
      series: [['收件', 'received', '#1f5fbf'], ['办结', 'resolved', '#2e7d32'], ['逾期', 'overdue', '#c62828']].map(([name, key, color]) => ({ name, type: 'bar', data: rows.map((g) => g[key]), itemStyle: { color } })),
    }, true);
    chart('chart-rates').setOption({
      textStyle: { fontFamily: FONT },
      title: { text: '三率与综合得分（%）', left: 'center', textStyle: { fontSize: 14 } }, tooltip: {},
      grid: { left: 40, right: 10, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: 'category', data: ['响应率', '解决率', '满意率', '综合得分'] }, yAxis: { type: 'value', max: 100 },
      series: [{ type: 'bar', data: [r.responseRate, r.solveRate, r.satisfactionRate, r.score].map((x) => (x === null ? 0 : +(x * 100).toFixed(1))), itemStyle: { color: '#d9822b' }, label: { show: true, position: 'top' } }],
    }, true);
    chart('chart-categories').setOption({
      textStyle: { fontFamily: FONT },
      title: { text: '类别前五', left: 'center', textStyle: { fontSize: 14 } }, tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: ['35%', '65%'], top: 30, data: r.topCategories.map((c) => ({ name: c.category, value: c.count })) }],
    }, true);
    chart('chart-daynight').setOption({
      textStyle: { fontFamily: FONT },
      title: { text: '白天（8–20 时）与夜间', left: 'center', textStyle: { fontSize: 14 } }, tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: '60%', top: 30, data: [{ name: '白天', value: r.day }, { name: '夜间', value: r.night }] }],
    }, true);
    document.getElementById('hotspots').replaceChildren(...(r.hotspots.length ? r.hotspots.map((h) => el('li', {}, `${h.placeKey} · ${h.category} · ${h.count} 次`)) : [el('li', { class: 'muted' }, '无')]));
    const xlsx = document.getElementById('xlsx');
    const off = document.getElementById('xlsx-off');
    xlsx.hidden = !me.services.exports || r.kind !== 'month';
    off.hidden = me.services.exports || r.kind !== 'month';
    off.textContent = '台账导出未配置';
    xlsx.href = `/api/web/export/${encodeURIComponent(r.period)}`;
    xlsx.setAttribute('download', `台账-${r.period}.xlsx`);
    document.body.dataset.chart = 'drawn';
  }

  async function load() {
    const kind = form.elements.kind.value;
    const period = form.elements[kind].value;
    if (!period) return;
    const group = form.elements.group.value;
    history.replaceState(null, '', `/reports?period=${encodeURIComponent(period)}`);
    state.replaceChildren(el('p', { class: 'muted' }, '加载中……'));
    try {
      const { report } = await api(`/reports/${encodeURIComponent(period)}${group ? `?group=${encodeURIComponent(group)}` : ''}`);
      state.replaceChildren();
      // Canvas text needs the font loaded first (a machine without a Chinese font fetches it once).
      await document.fonts.load('14px JiesuSC', '报表').catch(() => undefined);
      draw(report);
    } catch (err) {
      state.replaceChildren(el('p', { class: 'notice bad', role: 'alert' }, err.status === 501 ? '未配置：本机器人没有开启报表。' : err.message));
    }
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); void load(); });
  if (!me.services.reports) state.replaceChildren(el('p', { class: 'notice bad' }, '未配置：本机器人没有开启报表。'));
  else await load();
})();
