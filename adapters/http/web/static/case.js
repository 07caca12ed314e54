'use strict';
(async () => {
  const { el, api, fmt, timeLeft } = Jiesu;
  const me = await Jiesu.start('/');
  const id = Number(location.pathname.split('/').pop());
  const result = document.getElementById('result');

  const row = (dt, ...dd) => [el('dt', {}, dt), el('dd', {}, ...dd)];

  function drawDeadlines(c, now) {
    const box = document.getElementById('deadlines');
    const list = document.getElementById('milestones');
    const times = c.milestones.map((m) => m.at).concat(now);
    const min = Math.min(...times), max = Math.max(...times);
    const pct = (t) => ((t - min) / Math.max(1, max - min)) * 92 + 4;
    const nowMark = el('div', { class: 'now', title: `现在 ${fmt(now)}` });
    nowMark.style.left = `${pct(now)}%`;
    box.replaceChildren(el('div', { class: 'bar' }), nowMark);
    // Milestones closer than 7 % of the line share one marker (a case's first minutes hold several).
    const clusters = [];
    for (const m of c.milestones) {
      const last = clusters[clusters.length - 1];
      if (last && pct(m.at) - pct(last.at) < 7) last.items.push(m);
      else clusters.push({ at: m.at, items: [m] });
    }
    clusters.forEach((k, i) => {
      const done = k.items.every((m) => m.done);
      const deadline = k.items.some((m) => /时限/.test(m.label));
      const ms = el('div', { class: `ms${done ? ' done' : ''}${deadline ? ' deadline' : ''}${i % 2 ? ' low' : ''}` }, el('span', { class: 'dot' }), el('span', {}, k.items.map((m) => m.label).join('、')), el('br'), el('time', {}, fmt(k.at)));
      ms.style.left = `${pct(k.at)}%`;
      box.append(ms);
    });
    list.replaceChildren(...c.milestones.map((m) => el('li', {}, `${fmt(m.at)} ${m.label}${m.done ? '（已过）' : ''}`)));
  }

  function actionForm(label, fields, action) {
    const form = el('form', { 'data-action': action }, el('strong', {}, label), ...fields, el('button', { type: 'submit' }, label));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = { action, ...Object.fromEntries(new FormData(form).entries()) };
      try {
        const r = await api(`/cases/${id}/action`, { method: 'POST', body });
        result.replaceChildren(el('p', { class: `notice${r.ok ? '' : ' bad'}`, role: 'status' }, r.message));
        await load();
      } catch (err) {
        result.replaceChildren(el('p', { class: 'notice bad', role: 'alert' }, err.message));
      }
    });
    return form;
  }

  function drawActions(c) {
    const box = document.getElementById('actions');
    const a = c.actions;
    const forms = [];
    if (a.approve) {
      const ext = c.extensions.find((x) => x.status === 'requested');
      forms.push(el('p', {}, `${ext.requestedBy} 申请延期 ${ext.days} 天：${ext.reason}`));
      forms.push(actionForm('批准延期', [], 'approve'));
      forms.push(actionForm('驳回延期', [el('input', { name: 'reason', placeholder: '原因（可不填）', 'aria-label': '驳回原因' })], 'reject'));
    }
    if (a.own) forms.push(actionForm('包案', [], 'own'));
    if (a.whistle) forms.push(actionForm('吹哨', [el('input', { name: 'departments', placeholder: '部门，空格分隔', 'aria-label': '吹哨部门', required: true })], 'whistle'));
    if (a.assign) forms.push(actionForm('转派', [el('input', { name: 'person', placeholder: '负责人名字', 'aria-label': '转派给谁', required: true })], 'assign'));
    if (a.route) {
      const select = el('select', { name: 'group', 'aria-label': '改派到哪个群' }, Object.entries(me.groups).filter(([k]) => k !== c.group).map(([k, n]) => el('option', { value: k }, n)));
      forms.push(actionForm('改派', [select], 'route'));
    }
    box.hidden = forms.length === 0;
    box.replaceChildren(el('h2', {}, '领导操作'), el('p', { class: 'muted' }, '操作与在群里发命令相同，群里会收到同样的通知。'), ...forms);
  }

  async function load() {
    const { case: c, now } = await api(`/cases/${id}`);
    document.title = `#${c.id} ${c.category} · 接诉即办`;
    document.getElementById('title').textContent = `#${c.id} ${c.category}${c.address ? `｜${c.address}` : ''}`;
    const left = timeLeft(c.deadline, now);
    document.getElementById('card').replaceChildren(
      ...row('工单号', c.hotlineNo), ...row('状态', el('span', { class: `badge s-${c.status}`, id: 'status' }, c.statusZh), c.overdue ? el('span', { class: 'badge urgent' }, '逾期') : null),
      ...row('群', c.groupName), ...row('类别', `${c.category}（${c.urgencyZh}${c.urgencyReason ? `：${c.urgencyReason}` : ''}）`),
      ...row('地址', c.address || '—'), ...row('内容', c.content),
      ...(c.citizen ? row('市民', `${c.citizen.name || '—'} ${c.citizen.phone || ''}`) : []),
      ...row('响应时限', fmt(c.respondBy)), ...row('办结时限', fmt(c.resolveBy)),
      ...(['resolved', 'closed'].includes(c.status) ? row('办理结果', c.result || '—') : row('剩余', el('span', { class: `left ${left.cls}` }, left.text))),
      ...(c.rating ? row('回访', `${c.rating.satisfaction}${c.rating.solved ? ` · ${c.rating.solved}` : ''}`) : []));
    const p = c.participants;
    document.getElementById('participants').replaceChildren(
      ...row('负责人', el('span', { id: 'owner' }, p.owner || '未认领')), ...row('包案领导', p.leader || '—'), ...row('协办', p.coHandlers.join('、') || '—'),
      ...row('吹哨', p.whistle.length ? p.whistle.map((w) => `${w.department}${w.reportedAt ? `（${fmt(w.reportedAt)} 报到）` : '（未报到）'}`).join('、') : '—'),
      ...row('延期', c.extensions.length ? c.extensions.map((x) => `${x.days}天 ${({ requested: '待批', approved: '已批准', rejected: '已驳回' })[x.status]}`).join('、') : '—'));
    const repeats = document.getElementById('repeats');
    const links = c.repeats.map((r) => el('li', {}, el('a', { href: `/case/${r.id}` }, `#${r.id}`), ` ${fmt(r.reportedAt)} ${r.statusZh}`));
    repeats.replaceChildren(el('p', {}, c.repeatCount > 1 ? `本点位同类诉求第 ${c.repeatCount} 次${c.repeatOf ? '，前次 ' : ''}` : '首次诉求', c.repeatOf ? el('a', { href: `/case/${c.repeatOf}` }, `#${c.repeatOf}`) : ''), links.length ? el('ul', {}, links) : '');
    document.getElementById('timeline').replaceChildren(...c.events.map((e) => el('li', { 'data-kind': e.kind },
      el('time', {}, fmt(e.at)), el('strong', {}, e.kindZh), e.actor ? ` ${e.actor}` : '', e.group ? el('span', { class: 'muted' }, `（${e.group}）`) : '', e.text ? el('div', {}, e.text) : '')));
    drawDeadlines(c, now);
    drawActions(c);
    document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
  }

  let pending = null;
  Jiesu.live({ onCase: (c) => { if (c.id === id) { clearTimeout(pending); pending = setTimeout(load, 250); } } });
  await load();
})();
