'use strict';
(async () => {
  const { el, api } = Jiesu;
  await Jiesu.start('/duty');
  const grid = document.getElementById('grid');
  const result = document.getElementById('result');
  let from = new URLSearchParams(location.search).get('from') || '';
  let week = null;

  function dayBox(d, editable) {
    const box = el('article', { class: `day${d.date === week.today ? ' today' : ''}${d.past ? ' past' : ''}`, 'data-date': d.date },
      el('h3', {}, `${d.date.slice(5)} ${d.weekday}${d.date === week.today ? '（今天）' : ''}`),
      el('ul', {}, d.shifts.length ? d.shifts.map((s) => el('li', {}, `${s.from}–${s.to} `, el('strong', {}, s.people.join('、') || '（空）'))) : [el('li', { class: 'muted' }, '无人值班')]));
    if (editable && !d.past) {
      const input = el('input', { name: 'people', placeholder: '值班人，空格分隔', 'aria-label': `${d.date} 值班人` });
      const form = el('form', {}, input, el('button', { type: 'submit' }, '设为当天值班'));
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        try {
          const r = await api('/duty', { method: 'POST', body: { date: d.date, people: input.value.split(/[\s,，、]+/).filter(Boolean) } });
          result.replaceChildren(el('p', { class: `notice${r.ok ? '' : ' bad'}`, role: 'status' }, r.message));
          await load();
        } catch (err) {
          result.replaceChildren(el('p', { class: 'notice bad', role: 'alert' }, err.message));
        }
      });
      box.append(form);
    }
    return box;
  }

  async function load() {
    try {
      week = await api(`/duty${from ? `?from=${from}` : ''}`);
    } catch (err) {
      grid.replaceChildren(el('p', { class: 'notice bad' }, err.status === 501 ? '未配置：本机器人没有值班表（街道配置 duty:）。' : err.message));
      return;
    }
    document.getElementById('week').textContent = `${week.monday} 起一周`;
    document.getElementById('now').textContent = `现在值班：${week.onDuty.join('、') || '无人'}${week.editable ? '　（领导、调度员可修改；修改会在会商群通知）' : ''}`;
    grid.replaceChildren(...week.days.map((d) => dayBox(d, week.editable)));
    document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
  }
  document.getElementById('prev').addEventListener('click', () => { from = week.prev; void load(); });
  document.getElementById('next').addEventListener('click', () => { from = week.next; void load(); });
  await load();
})();
