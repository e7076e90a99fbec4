/* VARAi card step: the PD Calculator's better scale. The shopper holds a card of the standard size
   (ISO/IEC 7810 ID-1, 85.6 mm wide: a bank or loyalty card) flat against the forehead and marks its
   left and right edges on the photo; the run then sends the card's width in photo pixels instead of
   relying on the iris (11.7 mm on average, ±0.5 mm between people). Loaded lazily by the photo dialog,
   beside it. The marks are two sliders: a click or tap sets one, a drag moves one, and the arrow keys
   move the focused one by a pixel (with Shift or Page Up/Down, by ten). */
/* global document */

var cardWidthMm = 85.6; // domain/engines/pd-calculator.ts
var irisDiameterMm = 11.7;

var faceViewScale = 2.4; // the shown square against the face box's longer side, as try-on.js
var viewMinPx = 640; // a small crop is drawn at least this many pixels across

/** The square of the photo around the face box ({ x, y, w, h, scale }), or all of it. */
function viewAround(photo, box) {
  var W = photo.width, H = photo.height;
  if (!box) return { x: 0, y: 0, w: W, h: H, scale: 1 };
  var s = Math.min(Math.max(box.width, box.height) * faceViewScale, W, H);
  var x = Math.max(0, Math.min(box.x + box.width / 2 - s / 2, W - s));
  var y = Math.max(0, Math.min(box.y + box.height / 2 - s / 2, H - s));
  return { x: x, y: y, w: s, h: s, scale: Math.max(1, viewMinPx / s) };
}

function el(tag, attrs, text) {
  var e = document.createElement(tag);
  for (var k in attrs) e.setAttribute(k, attrs[k]);
  if (text) e.textContent = text;
  return e;
}

var styles =
  '.cardstep{position:relative;margin-bottom:12px;touch-action:none}.cardstep canvas{margin:0;width:100%;height:auto;cursor:crosshair}' +
  '.cardstep .edge{position:absolute;top:0;bottom:0;width:24px;margin-left:-12px;cursor:ew-resize;outline-offset:-2px}' +
  '.cardstep .edge::after{content:"";position:absolute;top:0;bottom:0;left:11px;width:2px;background:#ffd400;box-shadow:0 0 0 1px #000}' +
  '.cardstep .edge:focus-visible{outline:3px solid #ffd400}.cardstep .span{position:absolute;top:0;bottom:0;background:rgba(255,212,0,.18);pointer-events:none}';

/**
 * Puts the two edge marks on the photo canvas (already in the dialog) and the two ways on:
 * o: { face (the landmark input's face, for a first guess where the card is), measure(card|null)
 * (card: { widthPx }) }. Returns { remove } (the canvas stays where it was).
 */
export function mountCard(photo, face, o) {
  var parent = photo.parentNode;
  // A face is often a tenth of the photo: the marks go on an enlarged view around it, wide enough
  // for a card on the forehead. Every value stays in photo pixels, as the run sends them.
  var view = viewAround(photo, face.box);
  var canvas = el('canvas', { role: 'img', 'aria-label': 'Your photo, around your face', 'data-view': JSON.stringify(view) });
  canvas.width = Math.round(view.w * view.scale);
  canvas.height = Math.round(view.h * view.scale);
  var ctx = canvas.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(photo, view.x, view.y, view.w, view.h, 0, 0, canvas.width, canvas.height);
  photo.hidden = true;
  var wrap = el('div', { 'class': 'cardstep' });
  var style = el('style', {}, styles);
  var help = el('p', { id: 'varai-card-help' }, 'Hold a card of bank-card size flat against your forehead. Click or tap its left edge, then its right edge, or move the marks with the arrow keys.');
  var span = el('div', { 'class': 'span' });
  parent.insertBefore(style, photo);
  parent.insertBefore(help, photo);
  parent.insertBefore(wrap, photo);
  wrap.appendChild(canvas);
  wrap.appendChild(span);
  var min = Math.ceil(view.x), max = Math.floor(view.x + view.w) - 1;
  // First guess: a card as wide as the iris scale says, centred between the eyes.
  var a = face.leftEye.iris, b = face.rightEye.iris;
  var guessPx = (cardWidthMm / irisDiameterMm) * ((a.diameterPx + b.diameterPx) / 2);
  var mid = (a.center.x + b.center.x) / 2;
  var xs = [Math.round(mid - guessPx / 2), Math.round(mid + guessPx / 2)].map(clamp);
  var edges = ['Card’s left edge', 'Card’s right edge'].map(function (name) {
    var h = el('div', { 'class': 'edge', role: 'slider', tabindex: '0', 'aria-label': name, 'aria-describedby': 'varai-card-help', 'aria-valuemin': String(min), 'aria-valuemax': String(max), 'aria-orientation': 'horizontal' });
    wrap.appendChild(h);
    return h;
  });
  var actions = el('div', { 'class': 'actions' });
  var withCard = el('button', { type: 'button' }, 'Measure with the card');
  var without = el('button', { type: 'button' }, 'Measure without a card');
  actions.appendChild(withCard);
  actions.appendChild(without);
  parent.insertBefore(actions, wrap.nextSibling);

  function width() { return Math.abs(xs[1] - xs[0]); }

  function clamp(x) { return Math.max(min, Math.min(max, Math.round(x))); }

  /** Left in % of the shown view, for a photo x. */
  function pct(x) { return (100 * (x - view.x)) / view.w + '%'; }

  function set(i, x) {
    xs[i] = clamp(x);
    // The left mark stays the left one: a swap keeps the names true.
    if (xs[0] > xs[1]) xs.reverse();
    edges.forEach(function (h, j) {
      h.style.left = pct(xs[j]);
      h.setAttribute('aria-valuenow', String(xs[j]));
      h.setAttribute('aria-valuetext', xs[j] + ' px; the card is ' + width() + ' px wide');
    });
    span.style.left = pct(xs[0]);
    span.style.width = (100 * width()) / view.w + '%';
  }
  set(0, xs[0]);

  function photoX(e) {
    var r = canvas.getBoundingClientRect();
    return view.x + ((e.clientX - r.left) * view.w) / r.width;
  }

  // Two clicks or taps: the first marks the left edge (the right one keeps its distance), the
  // second the right edge; then again.
  var clicks = 0;
  canvas.addEventListener('click', function (e) {
    var x = photoX(e);
    if (clicks++ % 2 === 1) return moveTo(1, x);
    var w = width();
    xs[1] = clamp(x + w);
    moveTo(0, x);
  });
  edges.forEach(function (h, i) {
    h.addEventListener('keydown', function (e) {
      var step = e.shiftKey || e.key === 'PageUp' || e.key === 'PageDown' ? 10 : 1;
      var to = { ArrowLeft: -step, ArrowDown: -step, PageDown: -step, ArrowRight: step, ArrowUp: step, PageUp: step }[e.key];
      if (e.key === 'Home') to = min - xs[i];
      if (e.key === 'End') to = max - xs[i];
      if (to === undefined) return;
      e.preventDefault();
      moveTo(i, xs[i] + to);
    });
    h.addEventListener('pointerdown', function (e) {
      h.setPointerCapture(e.pointerId);
      h.focus();
      var cur = i;
      var move = function (m) { cur = moveTo(cur, photoX(m)); };
      var up = function () { h.removeEventListener('pointermove', move); h.removeEventListener('pointerup', up); };
      h.addEventListener('pointermove', move);
      h.addEventListener('pointerup', up);
    });
  });

  /** Moves mark i to x; past the other mark they swap names, so focus follows the one that moved. */
  function moveTo(i, x) {
    var to = clamp(x);
    set(i, to);
    var now = xs[0] === to ? 0 : 1;
    if (now !== i) edges[now].focus();
    return now;
  }

  function remove() {
    photo.hidden = false;
    [style, help, wrap, actions].forEach(function (e) { e.remove(); });
  }

  withCard.addEventListener('click', function () {
    var card = { widthPx: width() };
    remove();
    o.measure(card);
  });
  without.addEventListener('click', function () {
    remove();
    o.measure(null);
  });
  edges[0].focus();
  return { remove: remove };
}
