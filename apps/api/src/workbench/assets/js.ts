/**
 * The workbench script, served from `SMARTER_STATIC_URL` as `workbench.js`. Behaviour is bound through data
 * attributes (no inline handlers): `data-copy`, `form[data-confirm]`, `form[data-chat]`. Unsafe requests carry the
 * CSRF token from `<meta name="csrf-token">` in `X-CSRFToken`.
 */
export const WORKBENCH_JS = `'use strict';
(function () {
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy]');
    if (!button) return;
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var label = button.textContent;
      button.textContent = 'Copied';
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });

  function bubble(log, text, kind) {
    var div = document.createElement('div');
    div.className = 'bubble bubble-' + kind;
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  document.querySelectorAll('form[data-chat]').forEach(function (form) {
    var log = document.getElementById(form.getAttribute('data-log'));
    var input = form.querySelector('input[name="message"]');
    var history = [];
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = '';
      bubble(log, text, 'user');
      history.push({ role: 'user', content: text });
      var pending = bubble(log, '…', 'agent');
      fetch(form.getAttribute('data-chat'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrftoken': csrf },
        body: JSON.stringify({ messages: history.slice(-20) })
      }).then(function (res) {
        return res.json().then(function (body) { return { ok: res.ok, body: body }; });
      }).then(function (r) {
        if (!r.ok) throw new Error(r.body && r.body.title ? r.body.title : 'The agent could not answer');
        var reply = r.body.choices[0].message.content;
        history.push({ role: 'assistant', content: reply });
        pending.textContent = reply;
      }).catch(function (error) {
        pending.className = 'bubble bubble-error';
        pending.textContent = error.message || 'The agent could not answer';
      });
    });
  });
})();
`;
