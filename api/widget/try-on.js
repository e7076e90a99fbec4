/* VARAi try-on drawing: shows a virtual-try-on or contact-lens-try-on result on the shopper's
   photo (or live camera) in a canvas. Loaded lazily beside the landmark module, only by the photo
   dialog of those two apps. Nothing here calls the API: one paid run gives the placements of
   every frame offered (or the lens geometry), and switching frames or lens colours only redraws.
   Live camera frames need a placement per frame, which cannot be a paid run each: placeFrame
   below is the browser copy of domain/engines/frame-placement.ts, and the widget test checks
   the two agree on the same landmarks. */
/* global document, Image, requestAnimationFrame, URL */

var irisDiameterMm = 11.7; // domain/engines/pd-calculator.ts
var bridgeWeight = 0.5; // domain/engines/frame-placement.ts
var pupilToIris = 0.33; // domain/engines/lens-recolour.ts
// Fresh landmarks at most this often on a live camera: inference takes 50–200 ms per frame in a
// phone browser, and a frame that jumps 5 times a second still reads as following the face.
var liveIntervalMs = 150;

function round(v, d) {
  var f = Math.pow(10, d);
  return (Math.sign(v) * Math.round(Math.abs(v) * f + 1e-9)) / f;
}

/** The placement of a frame `frameWidthMm` wide on a landmark input's face (see frame-placement.ts). */
export function placeFrame(landmarks, frameWidthMm) {
  var f = landmarks.face;
  var e0 = f.leftEye.iris.center, e1 = f.rightEye.iris.center;
  var a = e0.x <= e1.x ? e0 : e1, b = e0.x <= e1.x ? e1 : e0;
  var mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  var d = Math.hypot(b.x - a.x, b.y - a.y);
  var ux = (b.x - a.x) / d, uy = (b.y - a.y) / d;
  var nb = f.points.noseBridge;
  var along = (nb.x - mid.x) * ux + (nb.y - mid.y) * uy;
  var mmPerPx = irisDiameterMm / ((f.leftEye.iris.diameterPx + f.rightEye.iris.diameterPx) / 2);
  var cheeks = Math.hypot(f.points.cheekboneLeft.x - f.points.cheekboneRight.x, f.points.cheekboneLeft.y - f.points.cheekboneRight.y);
  return {
    centre: { x: round(mid.x + bridgeWeight * along * ux, 1), y: round(mid.y + bridgeWeight * along * uy, 1) },
    widthPx: round(frameWidthMm / mmPerPx, 1),
    rollDeg: round((Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI, 2),
    mmPerPx: round(mmPerPx, 5),
    faceWidthMm: round(cheeks * mmPerPx, 1),
  };
}

/** The lens geometry of one eye from live landmarks (see lens-recolour.ts and try-on-face.ts). */
export function lensEye(eye) {
  var r = eye.iris.diameterPx / 2;
  return { centre: eye.iris.center, radiusPx: r, pupilRadiusPx: r * pupilToIris, eyelid: [eye.outer].concat(eye.upperLid, [eye.inner], eye.lowerLid.slice().reverse()) };
}

var images = {};

/** A frame drawing, loaded once per URL; CORS so the canvas stays readable. */
export function loadImage(url) {
  if (!images[url]) {
    images[url] = new Promise(function (resolve, reject) {
      var img = new Image();
      img.crossOrigin = 'anonymous';
      img.onload = function () { resolve(img); };
      img.onerror = function () { reject(new Error('could not load ' + url)); };
      img.src = url;
    });
  }
  return images[url];
}

/** Draws the frame image with its centre on the placement's centre, its width the placement's, rolled. */
export function drawFrame(ctx, img, placement) {
  var w = placement.widthPx;
  var h = (w * (img.naturalHeight || img.height)) / (img.naturalWidth || img.width);
  ctx.save();
  ctx.translate(placement.centre.x, placement.centre.y);
  ctx.rotate((placement.rollDeg * Math.PI) / 180);
  ctx.drawImage(img, -w / 2, -h / 2, w, h);
  ctx.restore();
}

/**
 * Tints each iris ring (iris minus pupil) inside the eyelid opening. 'color' blending keeps the
 * iris's own light and texture and takes the lens's hue; a thin plain layer on top lets a light
 * lens show on a dark eye, as an opaque lens does.
 */
export function paintLenses(ctx, eyes, colour, opacity) {
  eyes.forEach(function (eye) {
    ctx.save();
    ctx.beginPath();
    eye.eyelid.forEach(function (p, i) { if (i === 0) ctx.moveTo(p.x, p.y); else ctx.lineTo(p.x, p.y); });
    ctx.closePath();
    ctx.clip();
    ctx.beginPath();
    ctx.arc(eye.centre.x, eye.centre.y, eye.radiusPx, 0, 2 * Math.PI);
    ctx.moveTo(eye.centre.x + eye.pupilRadiusPx, eye.centre.y);
    ctx.arc(eye.centre.x, eye.centre.y, eye.pupilRadiusPx, 0, 2 * Math.PI, true);
    ctx.fillStyle = colour;
    ctx.globalCompositeOperation = 'color';
    ctx.globalAlpha = opacity;
    ctx.fill('evenodd');
    ctx.globalCompositeOperation = 'source-over';
    ctx.globalAlpha = opacity * 0.35;
    ctx.fill('evenodd');
    ctx.restore();
  });
}

function el(tag, attrs, text) {
  var e = document.createElement(tag);
  for (var k in attrs) e.setAttribute(k, attrs[k]);
  if (text) e.textContent = text;
  return e;
}

// A face in a photo is often small (a tenth of its width): the drawing shows the face, enlarged.
var faceViewScale = 2.4; // the shown square, against the face box's longer side
var viewMinPx = 640; // a small crop is drawn at least this many pixels across, so it stays sharp enough

/** The part of the photo to show ({ x, y, side in photo px, scale }): a square around the face, or all of it. */
export function viewOf(size, box) {
  if (!box) return { x: 0, y: 0, w: size.width, h: size.height, scale: 1 };
  var s = Math.min(Math.max(box.width, box.height) * faceViewScale, size.width, size.height);
  var clampTo = function (v, max) { return Math.max(0, Math.min(v, max)); };
  var x = clampTo(box.x + box.width / 2 - s / 2, size.width - s);
  var y = clampTo(box.y + box.height / 2 - s / 2, size.height - s);
  return { x: x, y: y, w: s, h: s, scale: Math.max(1, viewMinPx / s) };
}

function sizeOf(source) {
  return { width: source.naturalWidth || source.videoWidth || source.width, height: source.naturalHeight || source.videoHeight || source.height };
}

var styles =
  '.tryon canvas{display:block;width:100%;height:auto;border-radius:6px;background:#eee}' +
  '.tryon .choices{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px;padding:0;border:0}' +
  '.tryon .choices legend{font-weight:600;margin-bottom:4px;padding:0}' +
  '.tryon .choices button{padding:6px 10px;font-weight:500}' +
  // The chosen frame or colour is the filled, ticked one; the others are outlined, as shoppers read a choice.
  '.tryon .choices button[aria-pressed=false]{background:#fff;color:#1a1a1a;box-shadow:inset 0 0 0 1px #767676}' +
  '.tryon .choices button[aria-pressed=true]::before{content:"\\2713  "}' +
  '.tryon .swatch{display:inline-block;width:12px;height:12px;border-radius:50%;margin-right:6px;vertical-align:-1px;border:1px solid #0003}' +
  '.tryon label{display:block;margin-top:8px}.tryon .note{margin-top:6px;font-size:13px}';

/**
 * Shows a run's result in `host`: a canvas with the photo (an image, a canvas, or a playing video)
 * and the overlay, and the chooser. opts: { app, source, result, origin, landmarks?, detect? }.
 * With `detect` (a function from the source to a landmark input) and a video source, it follows
 * the face live. Returns { stop, canvas }.
 */
export function mountTryOn(host, opts) {
  var lens = opts.app === 'contact-lens-try-on';
  var root = el('div', { 'class': 'tryon' });
  root.appendChild(el('style', {}, styles));
  var canvas = el('canvas', { role: 'img', 'aria-label': (opts.live ? 'Your camera' : 'Your photo') + (lens ? ' with the lenses' : ' with the frame') });
  var size = sizeOf(opts.source);
  var view = viewOf(size, opts.landmarks && opts.landmarks.face ? opts.landmarks.face.box : null);
  canvas.width = Math.round(view.w * view.scale);
  canvas.height = Math.round(view.h * view.scale);
  // What the canvas shows of the photo: tests and a storefront's own code can map points onto it.
  canvas.setAttribute('data-view', JSON.stringify(view));
  var ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.imageSmoothingQuality = 'high';
  // Everything is drawn in photo pixels; the transform shows the chosen part.
  function photo() {
    follow();
    ctx.setTransform(view.scale, 0, 0, view.scale, -view.x * view.scale, -view.y * view.scale);
    ctx.drawImage(opts.source, 0, 0, size.width, size.height);
  }
  root.appendChild(canvas);
  // Live, the face moves: the shown square (same size, so the canvas keeps its size) is re-centred
  // on the latest landmarks' face box.
  function follow() {
    var box = opts.live && state.landmarks && state.landmarks.face ? state.landmarks.face.box : null;
    if (!box || view.w >= size.width && view.h >= size.height) return;
    var x = Math.max(0, Math.min(box.x + box.width / 2 - view.w / 2, size.width - view.w));
    var y = Math.max(0, Math.min(box.y + box.height / 2 - view.h / 2, size.height - view.h));
    if (x === view.x && y === view.y) return;
    view.x = x;
    view.y = y;
    canvas.setAttribute('data-view', JSON.stringify(view));
  }
  var state = { index: 0, colour: lens ? opts.result.colour : null, opacity: lens ? opts.result.opacity : 1, landmarks: opts.landmarks || null, stopped: false };
  var choices = el('fieldset', { 'class': 'choices' });
  choices.appendChild(el('legend', {}, lens ? 'Lens colour' : 'Frame'));
  var note = el('div', { 'class': 'note', role: 'status' });

  function press(buttons, chosen) {
    buttons.forEach(function (b, i) { b.setAttribute('aria-pressed', String(i === chosen)); });
  }

  var buttons = [];
  if (lens) {
    opts.result.lenses.forEach(function (l) {
      var b = el('button', { type: 'button', 'data-colour': l.hex });
      var dot = el('span', { 'class': 'swatch', 'aria-hidden': 'true' });
      dot.style.background = l.hex;
      b.appendChild(dot);
      b.appendChild(document.createTextNode(l.name));
      b.addEventListener('click', function () { state.colour = l.hex; press(buttons, buttons.indexOf(b)); redraw(); });
      buttons.push(b);
      choices.appendChild(b);
    });
    press(buttons, opts.result.lenses.map(function (l) { return l.hex; }).indexOf(state.colour));
    var slider = el('input', { type: 'range', min: '0.1', max: '1', step: '0.05', value: String(state.opacity) });
    var label = el('label', {}, 'Opacity ');
    label.appendChild(slider);
    slider.addEventListener('input', function () { state.opacity = Number(slider.value); redraw(); });
    root.appendChild(choices);
    root.appendChild(label);
    if (opts.result.warning) note.textContent = opts.result.warning;
  } else {
    opts.result.frames.forEach(function (f, i) {
      var b = el('button', { type: 'button', 'data-frame': f.frame.id }, f.frame.name);
      b.addEventListener('click', function () { state.index = i; press(buttons, i); describe(); redraw(); });
      buttons.push(b);
      choices.appendChild(b);
    });
    press(buttons, 0);
    root.appendChild(choices);
  }
  root.appendChild(note);
  host.appendChild(root);

  function describe() {
    var f = opts.result.frames[state.index];
    note.textContent = f.frame.name + ': ' + f.frame.lensWidthMm + '-' + f.frame.bridgeMm + ', ' + f.frame.totalWidthMm + ' mm wide' +
      (f.placement.faceWidthMm ? ' on a face of about ' + Math.round(f.placement.faceWidthMm) + ' mm' : '');
  }

  // The server's answer for the photo; on a live camera, the same rules on the latest landmarks.
  function current() {
    if (lens) {
      if (!state.landmarks || !state.landmarks.face || !opts.live) return opts.result.eyes;
      return [lensEye(state.landmarks.face.leftEye), lensEye(state.landmarks.face.rightEye)];
    }
    var f = opts.result.frames[state.index];
    if (!state.landmarks || !state.landmarks.face || !opts.live) return f.placement;
    return placeFrame(state.landmarks, f.frame.totalWidthMm);
  }

  var drawing = Promise.resolve();
  function redraw() {
    drawing = drawing.then(function () {
      if (lens) {
        photo();
        paintLenses(ctx, current(), state.colour, state.opacity);
        return;
      }
      var f = opts.result.frames[state.index];
      return loadImage(opts.origin + f.frame.imageUrl).then(function (img) {
        photo();
        drawFrame(ctx, img, current());
      });
    }).catch(function () {
      note.textContent = 'The preview could not be drawn. Please try again.';
    });
    return drawing;
  }

  if (!lens) describe();
  // Live: redraw every video frame; take fresh landmarks at most every liveIntervalMs, one at a time.
  if (opts.live && opts.detect) {
    var last = 0, busy = false, updates = 0;
    var tick = function (now) {
      if (state.stopped) return;
      if (!busy && now - last >= liveIntervalMs) {
        busy = true;
        last = now;
        opts.detect(opts.source).then(function (l) {
          if (!l || l.faceCount !== 1) return;
          state.landmarks = l;
          // How many fresh landmark sets were drawn: tests and a storefront can see it follow.
          canvas.setAttribute('data-live-updates', String(++updates));
        }).catch(function () {}).then(function () { busy = false; });
      }
      redraw();
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }
  redraw();
  return {
    canvas: canvas,
    /** Settles when the latest drawing is on the canvas. */
    ready: function () { return drawing; },
    stop: function () { state.stopped = true; },
  };
}

var shown = null;

/**
 * The photo dialog's entry: draws a try-on run's result in place of the photo canvas (hidden, kept
 * for the next try), replacing the drawing of an earlier photo.
 */
export function show(photoCanvas, result, landmarks) {
  return place(photoCanvas, { source: photoCanvas, result: result, landmarks: landmarks });
}

/**
 * The same on the playing camera (the photo was taken from it): the overlay follows the face with
 * landmarks found in this page by `detect(video)`, at no further charge; the photo canvas stays
 * hidden beside it for showing the still again. Returns mountTryOn's handle (stop() ends the loop).
 */
export function showLive(photoCanvas, video, result, landmarks, detect) {
  return place(photoCanvas, { source: video, result: result, landmarks: landmarks, live: true, detect: detect });
}

function place(photoCanvas, opts) {
  if (shown) shown.remove();
  shown = el('div');
  photoCanvas.parentNode.insertBefore(shown, photoCanvas);
  photoCanvas.hidden = true;
  opts.app = opts.result.frames ? 'virtual-try-on' : 'contact-lens-try-on';
  opts.origin = new URL(import.meta.url).origin;
  return mountTryOn(shown, opts);
}
