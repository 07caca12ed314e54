'use strict';
(async () => {
  const { el, api, fmt } = Jiesu;
  await Jiesu.start('/sim');
  const sim = await api('/sim');
  const panes = new Map();
  document.getElementById('people').replaceChildren(...sim.people.map((p) => el('option', { value: p })));

  function append(group, node) {
    const log = panes.get(group);
    if (!log) return;
    log.append(node);
    log.scrollTop = log.scrollHeight;
  }
  const botLine = (l) => el('div', { class: 'msg bot', 'data-id': l.id }, el('span', { class: 'from' }, `机器人 [${l.id}] ${fmt(l.at, false)}`), `${l.mentions.length ? `${l.mentions.map((m) => `@${m}`).join(' ')} ` : ''}${l.text}${l.attachment ? `\n📎 ${l.attachment}` : ''}`);

  for (const g of sim.groups) {
    const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': `${g.name} 消息` }, g.lines.map(botLine));
    panes.set(g.key, log);
    const sender = el('input', { name: 'sender', list: 'people', value: sim.me, 'aria-label': `在${g.name}以谁的身份发言`, required: true });
    const text = el('input', { name: 'text', placeholder: '输入消息，回车发送', 'aria-label': `在${g.name}发言`, autocomplete: 'off', required: true });
    const form = el('form', { 'data-group': g.key }, sender, text, el('button', { type: 'submit' }, '发送'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const words = text.value.trim();
      if (!words) return;
      append(g.key, el('div', { class: 'msg me' }, el('span', { class: 'from' }, sender.value), words));
      text.value = '';
      try {
        await api('/sim', { method: 'POST', body: { group: g.key, sender: sender.value.trim(), text: words } });
      } catch (err) {
        append(g.key, el('div', { class: 'msg notice bad' }, err.message));
      }
    });
    document.getElementById('panes').append(el('article', { class: 'pane', 'data-group': g.key }, el('h2', {}, `${g.name}（${g.key}）`), log, form));
  }
  Jiesu.live({ onChat: (l) => append(l.group, botLine(l)) });
})();
