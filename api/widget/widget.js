// VARAi widget: one <script data-varai-key data-varai-app> per app; no dependencies, no cookies.
// The key is a publishable key (vpk_…): it works only from the origins its brand allowed, so every
// call is a plain CORS request that the browser stamps with this page's Origin. Each page view is
// one widget session (sessionId), which the API limits per visitor.
// data-varai-preview: drawn from what the parent portal page posts (same origin); never calls the API.
// A photo app (config.photo) opens the photo dialog, loaded on the first click with the face runtime
// (api/widget/photo-dialog.js); data-varai-input, when set, still runs the app with that input.
// Line comments, not a block: compact() drops whole-line // comments from what storefronts download.
/* global document, window, location, fetch, console, crypto, URL */
(function () {
  'use strict';
  var mounted = 'data-varai-mounted';
  var session = null;
  var face = '__VARAI_FACE_RUNTIME__';

  /** One id per tab, kept across page views, so a shopper's visit is one widget session. */
  function sessionId() {
    if (session) return session;
    try {
      session = window.sessionStorage.getItem('varai-session');
      if (!session) {
        session = uuid();
        window.sessionStorage.setItem('varai-session', session);
      }
    } catch {
      session = uuid(); // storage refused (privacy mode): one session per page view
    }
    return session;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // randomUUID needs a secure context; an http storefront still gets a random v4 id.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }

  function css(t) {
    return (
      ':host{all:initial;display:block;margin:12px 0;font:15px/1.4 system-ui,sans-serif}' +
      ':host(.floating){position:fixed;right:20px;bottom:20px;margin:0;z-index:2147483000;max-width:320px}' +
      'button{cursor:pointer;border:0;border-radius:6px;padding:10px 16px;font:inherit;font-weight:600;background:' + t.primary + ';color:' + t.background + '}' +
      'button[disabled]{opacity:.6;cursor:progress}' +
      '.panel{margin-top:8px;padding:12px;border:1px solid ' + t.primary + ';border-radius:6px;background:' + t.background + ';color:' + t.text + '}' +
      '.panel[hidden]{display:none}.error{color:#b00020}pre{margin:0;white-space:pre-wrap;font-size:12px}' +
      '.test{display:inline-block;margin-right:8px;padding:2px 6px;border-radius:4px;background:#fff3cd;color:#664d03;font-size:12px;font-weight:600}'
    );
  }

  /** A readable line for the results shoppers care about; anything else is shown as JSON. */
  function describe(result) {
    if (result && typeof result.pdMm === 'number') return 'Your pupillary distance: ' + result.pdMm + ' mm';
    if (result && typeof result.faceShape === 'string') return 'Your face shape: ' + result.faceShape;
    return null;
  }

  function render(script, origin, key, app, config, preview) {
    var c = config.configuration || {};
    var theme = c.theme || { primary: '#1f3a5f', background: '#ffffff', text: '#1a1a1a' };
    var host = el('div', { 'class': 'varai-widget', 'data-varai-widget': app, lang: c.locale || 'en' });
    var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
    var style = el('style');
    style.textContent = css(theme);
    var button = el('button', { type: 'button', part: 'button' }, c.buttonText || config.name);
    var panel = el('div', { 'class': 'panel', role: 'status', 'aria-live': 'polite', part: 'panel' });
    panel.hidden = true;
    root.appendChild(style);
    if (config.testMode) root.appendChild(el('span', { 'class': 'test', part: 'test-mode' }, 'Test mode'));
    if (preview) root.appendChild(el('span', { 'class': 'test', part: 'preview' }, 'Preview'));
    root.appendChild(button);
    root.appendChild(panel);

    function show(text, isError, detail) {
      panel.hidden = false;
      panel.textContent = '';
      panel.appendChild(el('div', isError ? { 'class': 'error' } : {}, text));
      if (detail !== undefined) panel.appendChild(el('pre', {}, JSON.stringify(detail, null, 2)));
    }

    // Shoppers never see token or billing talk: the brand's balance is not their business. The
    // brand's developer finds the code, the hint and the portal page in the console.
    function outOfTokens(error) {
      console.warn('[varai] ' + app + ': ' + error.code + ' (' + ((error.details && error.details.hint) || 'no hint') + '); fix it at ' + ((error.details && error.details.portalUrl) || 'the VARAi portal'));
      return { message: 'This feature is taking a short break. Please try again later.', quiet: true };
    }

    /** One paid run: resolves to { result } or { message, quiet } (quiet: not the shopper's fault). */
    function call(input) {
      return fetch(origin + '/v1/apps/' + encodeURIComponent(app) + '/run', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + key, 'idempotency-key': uuid(), 'content-type': 'application/json' },
        body: JSON.stringify({ input: input, sessionId: sessionId() }),
      }).then(function (res) {
        return res.json().then(function (body) {
          if (res.status === 402) return outOfTokens(body.error || {});
          if (!res.ok) return { message: (body.error && body.error.message) || 'The app could not run.' };
          return { result: body.result };
        });
      }, function () {
        return { message: 'The app could not be reached. Please try again.' };
      });
    }

    function openPhoto() {
      var frame = script.getAttribute('data-varai-frame');
      button.disabled = true;
      import(origin + face.dialog)
        .then(function (m) {
          m.open({ root: root, title: config.name, theme: theme, settings: c, preview: preview, module: origin + face.module, models: origin + face.models, opener: button, extra: frame ? { frameId: frame } : {}, run: call });
        })
        .catch(function () {
          show('The photo tool could not be loaded. Please try again.', true);
        })
        .then(function () {
          button.disabled = false;
        });
    }

    button.addEventListener('click', function () {
      var raw = script.getAttribute('data-varai-input');
      if (config.photo && !raw) return openPhoto();
      if (preview) return show('Preview: uses are not charged.');
      var input = {};
      if (raw) {
        try {
          input = JSON.parse(raw);
        } catch {
          return show('data-varai-input is not valid JSON.', true);
        }
      }
      button.disabled = true;
      show('Working…');
      call(input).then(function (r) {
        if (r.result === undefined) return show(r.message, !r.quiet);
        var line = describe(r.result);
        show(line || 'Done.', false, line ? undefined : r.result);
      }).then(function () {
        button.disabled = false;
      });
    });

    var target = script.getAttribute('data-varai-target');
    var anchor = target ? document.querySelector(target) : null;
    if (c.placement === 'floating-button') {
      host.className += ' floating';
      document.body.appendChild(host);
    } else if (anchor) {
      anchor.parentNode.insertBefore(host, anchor.nextSibling);
    } else if (script.parentNode && script.parentNode !== document.head) {
      script.parentNode.insertBefore(host, script.nextSibling);
    } else {
      document.body.appendChild(host);
    }
    return host;
  }

  function mountPreview(script, app) {
    var shown, o = location.origin, p = window.parent;
    window.addEventListener('message', function (e) {
      var d = e.data;
      if (e.origin !== o || e.source !== p || !d || d.type !== 'varai-preview-config' || d.app !== app) return;
      if (shown) shown.remove();
      shown = render(script, o, null, app, { name: app, configuration: d.configuration, photo: script.hasAttribute('data-varai-photo') }, true);
    });
    // Sent once listening; the parent answers with the draft, then posts each change.
    if (p !== window) p.postMessage({ type: 'varai-preview-ready', app: app }, o);
  }

  function mount(script) {
    script.setAttribute(mounted, '');
    var key = script.getAttribute('data-varai-key');
    var app = script.getAttribute('data-varai-app');
    if (script.hasAttribute('data-varai-preview')) return mountPreview(script, app);
    var origin = new URL(script.src, location.href).origin;
    fetch(origin + '/v1/widget-config/' + encodeURIComponent(app), { headers: { authorization: 'Bearer ' + key } })
      .then(function (res) {
        return res.json().then(function (body) {
          if (!res.ok) throw new Error((body.error && body.error.code) + ': ' + (body.error && body.error.message));
          render(script, origin, key, app, body);
        });
      })
      .catch(function (err) {
        console.warn('[varai] ' + app + ' widget not shown: ' + err.message);
      });
  }

  function start() {
    var found = document.querySelectorAll('script[data-varai-app]:not([' + mounted + '])');
    for (var i = 0; i < found.length; i++) mount(found[i]);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
