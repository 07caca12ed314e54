'use strict';
(async () => {
  const { el, api, timeLeft } = Jiesu;
  await Jiesu.start('/');
  const form = document.getElementById('filters');
  const tbody = document.querySelector('#board tbody');
  const count = document.getElementById('count');
  let data = { cases: [], now: Date.now() };
  let skew = 0;
  const flash = new Set();

  function fillSelect(name, values) {
    const select = form.elements[name];
    const keep = select.value;
    const fixed = [...select.options].filter((o) => o.value === '' || o.value === '-');
    select.replaceChildren(...fixed, ...values.map(([v, label]) => el('option', { value: v }, label)));
    select.value = [...select.options].some((o) => o.value === keep) ? keep : '';
  }
  const uniq = (pairs) => [...new Map(pairs).entries()].sort((a, b) => String(a[1]).localeCompare(String(b[1]), 'zh'));

  function matches(c, f) {
    if (f.group && c.group !== f.group) return false;
    if (f.status && c.status !== f.status) return false;
    if (f.category && c.category !== f.category) return false;
    if (f.urgency && c.urgency !== f.urgency) return false;
    if (f.owner === '-' ? c.owner !== null : f.owner && c.owner !== f.owner) return false;
    if (f.overdue && !c.overdue) return false;
    if (f.leader && !c.leader) return false;
    if (f.whistled && !c.whistled) return false;
    if (f.repeated && !(c.repeatCount > 1)) return false;
    if (f.q) {
      const q = f.q.replace(/^#/, '').toLowerCase();
      const hay = [String(c.id), c.hotlineNo, c.address || '', c.content].join('\n').toLowerCase();
      if (/^\d+$/.test(q) ? !(String(c.id) === q || hay.includes(q)) : !hay.includes(q)) return false;
    }
    return true;
  }

  function render() {
    const f = Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]));
    const now = Date.now() + skew;
    const rows = data.cases.filter((c) => matches(c, f));
    count.textContent = `共 ${data.cases.length} 件未办结，显示 ${rows.length} 件`;
    tbody.replaceChildren(...rows.map((c) => {
      const left = timeLeft(c.deadline, now);
      const tr = el('tr', { 'data-case': c.id, class: flash.has(c.id) ? 'flash' : null },
        el('td', { 'data-label': '编号' }, el('a', { href: `/case/${c.id}` }, `#${c.id}`)),
        el('td', { 'data-label': '工单号' }, c.hotlineNo),
        el('td', { 'data-label': '状态', class: 'status' }, el('span', { class: `badge s-${c.status}` }, c.statusZh), c.overdue ? el('span', { class: 'badge urgent' }, '逾期') : null),
        el('td', { 'data-label': '群' }, c.groupName),
        el('td', { 'data-label': '类别' }, c.category, ' ', el('span', { class: `badge${c.urgency === 'urgent' ? ' urgent' : ''}` }, c.urgencyZh),
          c.leader ? el('span', { class: 'badge', title: `包案：${c.leader}` }, '包案') : null, c.whistled ? el('span', { class: 'badge' }, '吹哨') : null, c.repeatCount > 1 ? el('span', { class: 'badge' }, `重复${c.repeatCount}`) : null),
        el('td', { 'data-label': '负责人', class: 'owner' }, c.owner || '—'),
        el('td', { 'data-label': '时限' }, el('span', { class: `left ${left.cls}` }, left.text)),
        el('td', { 'data-label': '地址', class: 'text-cell' }, c.address ? `${c.address}｜` : '', c.content));
      return tr;
    }));
    flash.clear();
  }

  async function load() {
    data = await api('/cases');
    skew = data.now - Date.now();
    fillSelect('group', Object.entries(data.groups));
    fillSelect('status', uniq(data.cases.map((c) => [c.status, c.statusZh])));
    fillSelect('category', uniq(data.cases.map((c) => [c.category, c.category])));
    fillSelect('urgency', uniq(data.cases.map((c) => [c.urgency, c.urgencyZh])));
    fillSelect('owner', uniq(data.cases.filter((c) => c.owner).map((c) => [c.owner, c.owner])));
    render();
    document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
  }

  form.addEventListener('input', render);
  form.addEventListener('submit', (e) => e.preventDefault());
  let pending = null;
  Jiesu.live({ onCase: (c) => { flash.add(c.id); clearTimeout(pending); pending = setTimeout(load, 250); } });
  setInterval(render, 30000);
  await load();
})();
