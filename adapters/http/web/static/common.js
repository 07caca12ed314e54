// Shared by every page: who is signed in, the navigation, API calls with the CSRF token, times.
'use strict';
const Jiesu = (() => {
  let me = null;
  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
    return e;
  };
  async function api(path, opts = {}) {
    const headers = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.method && opts.method !== 'GET') headers['x-csrf-token'] = me ? me.csrf : '';
    const res = await fetch(`/api/web${path}`, { method: opts.method || 'GET', headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), credentials: 'same-origin' });
    if (res.status === 401) { location.reload(); throw new Error('未登录'); }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) { const err = new Error(body.error || `请求失败（${res.status}）`); err.status = res.status; throw err; }
    return body;
  }
  function fmt(ms, withDate = true) {
    const parts = new Intl.DateTimeFormat('zh-CN', { timeZone: me ? me.timeZone : 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(new Date(ms));
    const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
    return withDate ? `${p.month}-${p.day} ${p.hour}:${p.minute}` : `${p.hour}:${p.minute}`;
  }
  /** "还剩 3小时12分" / "逾期 2天" and a colour class. */
  function timeLeft(deadline, now) {
    const left = deadline.at - now;
    const span = Math.max(1, deadline.at - deadline.from);
    const abs = Math.abs(left);
    const d = Math.floor(abs / 86400000), h = Math.floor((abs % 86400000) / 3600000), m = Math.floor((abs % 3600000) / 60000);
    const text = d > 0 ? `${d}天${h}小时` : h > 0 ? `${h}小时${m}分` : `${m}分`;
    const what = deadline.kind === 'respond' ? '响应' : '办结';
    if (left < 0) return { text: `${what}逾期 ${text}`, cls: 'late' };
    return { text: `${what}还剩 ${text}`, cls: left < span * 0.25 ? 'soon' : 'ok' };
  }
  async function start(active) {
    me = await api('/me');
    const links = [['/', '看板'], ...(me.manager ? [['/reports', '报表']] : []), ['/duty', '值班'], ...(me.simulator ? [['/sim', '模拟群聊']] : []), ...(me.admin ? [['/admin/queues', '队列']] : [])];
    const logout = el('button', { class: 'secondary', type: 'button', onclick: async () => { await api('/logout', { method: 'POST', body: {} }); location.href = '/'; } }, '退出');
    const header = el('header', { class: 'top' },
      el('span', { class: 'brand' }, `${me.street} 接诉即办`),
      el('nav', { 'aria-label': '页面' }, links.map(([href, label]) => el('a', { href, 'aria-current': href === active ? 'page' : null }, label))),
      el('span', { class: 'who' }, `${me.name}（${me.roleZh}${me.admin ? '·管理员' : ''}）`, logout));
    document.body.prepend(header);
    return me;
  }
  /** Live updates: calls onCase({id,status}) / onChat(line) as they come; the browser reconnects by itself. */
  function live(handlers) {
    const es = new EventSource('/api/web/events');
    if (handlers.onCase) es.addEventListener('case', (e) => handlers.onCase(JSON.parse(e.data)));
    if (handlers.onChat) es.addEventListener('chat', (e) => handlers.onChat(JSON.parse(e.data)));
    es.addEventListener('open', () => document.body.dataset.live = 'on');
    return es;
  }
  return { el, api, fmt, timeLeft, start, live, get me() { return me; } };
})();
