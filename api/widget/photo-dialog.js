/* VARAi photo dialog: what a photo app's button opens. Loaded by widget.js on the first click
   (so storefront pages pay nothing for it until then), from the same versioned folder as the
   landmark module it imports. The shopper takes or uploads a photo; the landmark module finds the
   face in this page; only the landmark input goes to the API (the photo stays here). The server
   decides whether the photo can be measured (FACE_NOT_FOUND, MULTIPLE_FACES, PHOTO_TOO_SMALL come
   back before anything is charged) and turns the landmarks into the result. */
/* global document, navigator, createImageBitmap, URL */

// Larger photos only cost inference time: the face is re-measured on a close-up anyway.
var maxSidePx = 1600;

function el(tag, attrs, text) {
  var e = document.createElement(tag);
  for (var k in attrs) e.setAttribute(k, attrs[k]);
  if (text) e.textContent = text;
  return e;
}

function css(t) {
  return (
    '.backdrop{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;z-index:2147483001;padding:12px}' +
    '.dialog{position:relative;box-sizing:border-box;width:100%;max-width:440px;max-height:100%;overflow:auto;background:' + t.background + ';color:' + t.text + ';border-radius:10px;padding:20px;box-shadow:0 10px 30px rgba(0,0,0,.3)}' +
    '.dialog h2{margin:0 40px 8px 0;font-size:18px}.dialog p{margin:0 0 12px}.actions{display:flex;flex-wrap:wrap;gap:8px;margin-bottom:12px}' +
    '.upload{display:inline-block;cursor:pointer;border-radius:6px;padding:10px 16px;font-weight:600;background:' + t.primary + ';color:' + t.background + '}' +
    '.upload:focus-within{outline:3px solid ' + t.text + ';outline-offset:2px}' +
    '.upload input{position:absolute;width:1px;height:1px;opacity:0;overflow:hidden}' +
    '.close{position:absolute;top:12px;right:12px;padding:4px 10px;background:transparent;color:' + t.text + ';border:1px solid currentColor;font-size:18px;line-height:1}' +
    'video,canvas{display:block;max-width:100%;border-radius:6px;margin-bottom:12px}video[hidden],canvas[hidden],button[hidden]{display:none}' +
    '.privacy{font-size:13px;opacity:.85}.result{font-weight:600}ul{margin:4px 0 0;padding-left:20px}'
  );
}

function n(v) {
  return String(Math.round(v * 10) / 10);
}

/** The lines a shopper reads for each face app's result. */
function describe(r) {
  var lines = [];
  if (typeof r.pdMm === 'number') {
    lines.push('Your pupillary distance: ' + n(r.pdMm) + ' mm' + (r.uncertaintyMm ? ' (± ' + n(r.uncertaintyMm) + ' mm)' : ''));
    if (r.method === 'card') lines.push('Scale: the card you marked (85.6 mm wide); ± is the uncertainty of its two marked edges and of the pupils.');
    else if (r.method === 'iris') lines.push('Scale: your iris, taken as 11.7 mm across (people differ by about ± 0.5 mm), so this is an estimate.');
    if (r.warning) lines.push(r.warning);
  }
  if (r.faceShape && !r.recommendations) lines.push('Your face shape: ' + r.faceShape);
  if (r.explanation) lines.push(r.explanation);
  if (r.summary) lines.push(r.summary);
  if (r.recommended) lines.push('Frame shapes for you: ' + r.recommended.map(function (s) { return s.shape; }).join(', '));
  if (r.recommendations) {
    lines.push('Frames for your ' + r.faceShape + ' face:');
    lines.push(r.recommendations.slice(0, 5).map(function (x) { return x.frame.name; }));
  }
  if (r.sampleFrames && r.sampleFrames.length) lines.push(r.sampleFrames.map(function (f) { return f.name; }));
  if (r.measurements && typeof r.pdMm !== 'number') lines.push('Measured: PD ' + n(r.measurements.pdMm) + ' mm, face width ' + n(r.measurements.faceWidthMm) + ' mm (± ' + r.measurements.uncertaintyPct + '%)');
  return lines;
}

/** The photo as a canvas no larger than maxSidePx, upright (EXIF orientation applied). */
function toCanvas(source, width, height, whole) {
  // A camera frame is kept at its own size (cameras stay near 1920 px): the live overlay then uses
  // the still's landmarks on the video as they are.
  var scale = whole ? 1 : Math.min(1, maxSidePx / Math.max(width, height));
  var canvas = el('canvas', { 'aria-label': 'Your photo', role: 'img' });
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  canvas.getContext('2d').drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/**
 * Opens the dialog in the widget's shadow root. o: { root, title, theme, settings (the brand's
 * configuration of the app: captureMode camera | photo | both), preview, module, models,
 * opener, extra (added to the run input, e.g. frameId), run(input) → Promise<{ result } | { message }>,
 * onResult(result, canvas, landmarks) (optional, for apps that draw on the photo) }.
 */
export function open(o) {
  var landmarks = import(o.module).then(function (m) {
    // Started now, while the shopper picks a photo: the models are the slow part.
    return m.load(o.models).then(function () { return m; });
  });
  landmarks.catch(function () {});
  var stream = null;
  var style = el('style');
  style.textContent = css(o.theme);
  var backdrop = el('div', { 'class': 'backdrop', part: 'photo-backdrop' });
  var dialog = el('div', { 'class': 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'varai-photo-title', 'aria-describedby': 'varai-photo-help', part: 'photo-dialog' });
  var close = el('button', { type: 'button', 'class': 'close', 'aria-label': 'Close' }, '×');
  var take = el('button', { type: 'button' }, 'Take a photo');
  var upload = el('label', { 'class': 'upload' }, 'Upload a photo');
  var file = el('input', { type: 'file', accept: 'image/*' });
  var video = el('video', { playsinline: '', muted: '', 'aria-label': 'Camera' });
  var capture = el('button', { type: 'button' }, 'Capture');
  // Shown while a try-on follows the face on the camera: back to the still that was charged.
  var still = el('button', { type: 'button' }, 'Stop camera');
  var live = null;
  var finder = null; // the landmark module, once loaded
  var marking = null; // the card step on the photo, while it is shown
  var again = null; // the "Measure with a card" button under a PD result
  // Only the PD Calculator has one: 'card' shows the card step before its run, 'iris' offers it after.
  var method = o.settings && o.settings.measurementMethod;
  var status = el('div', { role: 'status', 'aria-live': 'polite' });
  var actions = el('div', { 'class': 'actions' });
  var photo = null;
  video.hidden = true;
  capture.hidden = true;
  still.hidden = true;
  upload.appendChild(file);
  var mode = (o.settings && o.settings.captureMode) || 'both';
  if (mode !== 'photo') actions.appendChild(take);
  if (mode !== 'camera') actions.appendChild(upload);
  dialog.appendChild(close);
  dialog.appendChild(el('h2', { id: 'varai-photo-title' }, o.title));
  dialog.appendChild(el('p', { id: 'varai-photo-help' }, 'Look straight at the camera in even light, with nothing covering your eyes.'));
  dialog.appendChild(actions);
  dialog.appendChild(video);
  dialog.appendChild(capture);
  dialog.appendChild(still);
  dialog.appendChild(status);
  dialog.appendChild(el('p', { 'class': 'privacy' }, 'Your photo stays on this device: only face measurements are sent.'));
  backdrop.appendChild(dialog);
  o.root.appendChild(style);
  o.root.appendChild(backdrop);
  (mode === 'photo' ? file : take).focus();
  if (o.preview) status.textContent = 'Preview: uses are not charged. A photo is analysed here and nothing is sent.';

  function say(lines, isError) {
    status.textContent = '';
    status.className = isError ? 'error' : 'result';
    [].concat(lines).forEach(function (line) {
      if (Array.isArray(line)) {
        var ul = el('ul');
        line.forEach(function (item) { ul.appendChild(el('li', {}, item)); });
        status.appendChild(ul);
      } else status.appendChild(el('div', {}, line));
    });
  }

  function stopCamera() {
    if (live) live.stop();
    live = null;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
    capture.hidden = true;
    still.hidden = true;
  }

  function shut() {
    stopCamera();
    backdrop.remove();
    style.remove();
    document.removeEventListener('keydown', onKey, true);
    if (o.opener) o.opener.focus();
  }

  function focusables() {
    return [].filter.call(dialog.querySelectorAll('button,input,[tabindex="0"]'), function (e) { return !e.hidden && !e.disabled && !(e.closest && e.closest('[hidden]')); });
  }

  // Focus stays inside while the dialog is open; Escape closes it and focus goes back to the button.
  function onKey(e) {
    if (e.key === 'Escape') {
      e.preventDefault();
      return shut();
    }
    if (e.key !== 'Tab') return;
    var list = focusables();
    var active = o.root.activeElement;
    var i = list.indexOf(active);
    if (e.shiftKey && i <= 0) {
      e.preventDefault();
      list[list.length - 1].focus();
    } else if (!e.shiftKey && (i === -1 || i === list.length - 1)) {
      e.preventDefault();
      list[0].focus();
    }
  }
  document.addEventListener('keydown', onKey, true);

  function measure(canvas) {
    if (marking) marking.remove();
    marking = null;
    if (photo) photo.remove();
    photo = canvas;
    dialog.insertBefore(canvas, status);
    say('Finding your face…');
    take.disabled = true;
    file.disabled = true;
    if (again) again.remove();
    return landmarks
      .then(function (m) { finder = m; return m.detect(canvas, o.models); })
      .then(function (input) {
        if (o.preview) return say('Preview: ' + input.faceCount + ' face(s) found. Uses are not charged.');
        // PD with the brand's card method: the shopper marks the card before the one run.
        if (method === 'card' && input.faceCount === 1) return cardStep(canvas, input);
        return run(canvas, input, null);
      })
      .catch(function () {
        say('The face finder could not start here. Please check your connection and try again, or use another browser.', true);
      })
      .then(function () {
        // The camera ran on only for a live try-on.
        if (!live) stopCamera();
        take.disabled = false;
        file.disabled = false;
      });
  }

  /** The one paid run of this shopper action; card: { widthPx } when the shopper marked a card. */
  function run(canvas, input, card) {
    say('Measuring…');
    return o.run(Object.assign({}, o.extra, { landmarks: input }, card ? { card: card } : {})).then(function (answer) {
      if (answer.result === undefined) return say(answer.message, !answer.quiet);
      say(describe(answer.result));
      if (method) offerCard(canvas, input);
      if (o.onResult) return o.onResult(answer.result, canvas, input);
      if (!answer.result.frames && !answer.result.eyes) return;
      // The try-on apps draw on the photo: their module (try-on.js) sits beside the landmark module.
      return import(new URL('try-on.js', o.module).href).then(function (t) { tryOn(t, canvas, answer.result, input); });
    });
  }

  /** The card marks on the photo (card-step.js, beside this module); either way on is one run. */
  function cardStep(canvas, input) {
    if (again) again.remove();
    say('Mark the card’s edges, or measure without a card.');
    return import(new URL('card-step.js', o.module).href).then(function (c) {
      marking = c.mountCard(canvas, input.face, {
        measure: function (card) {
          marking = null;
          run(canvas, input, card).catch(function () { say('The app could not be reached. Please try again.', true); });
        },
      });
    });
  }

  // After a PD result the card stays on offer (to mark one, or mark it again): a new action, a new run.
  function offerCard(canvas, input) {
    if (again) again.remove();
    again = el('button', { type: 'button' }, 'Measure with a card');
    again.addEventListener('click', function () { cardStep(canvas, input); });
    dialog.insertBefore(again, status.nextSibling);
  }

  /**
   * Taken from the camera, the try-on follows the face live: the one run gave every frame's
   * placement (or the lens colours), so the video costs nothing more; "Stop camera" goes back to
   * the still that was charged.
   */
  function tryOn(t, canvas, result, input) {
    if (!stream) return t.show(canvas, result, input);
    live = t.showLive(canvas, video, result, input, function (v) { return finder.detect(v, o.models); });
    still.hidden = false;
    still.onclick = function () {
      stopCamera();
      t.show(canvas, result, input);
      take.focus();
    };
  }

  file.addEventListener('change', function () {
    var f = file.files && file.files[0];
    file.value = '';
    if (!f) return;
    stopCamera();
    // At once, in the change event: whatever the last photo said is gone before this one is read.
    say('Finding your face…');
    createImageBitmap(f, { imageOrientation: 'from-image' })
      .then(function (bitmap) { return measure(toCanvas(bitmap, bitmap.width, bitmap.height)); })
      .catch(function () { say('This file is not a photo we can read. Please choose a JPEG or PNG.', true); });
  });

  take.addEventListener('click', function () {
    stopCamera();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return say('The camera is not available here. Please upload a photo instead.', true);
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'user' }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        capture.hidden = false;
        return video.play().then(function () { capture.focus(); });
      })
      .catch(function () {
        stopCamera();
        say('The camera could not be opened. Please allow it, or upload a photo instead.', true);
      });
  });

  capture.addEventListener('click', function () {
    var canvas = toCanvas(video, video.videoWidth, video.videoHeight, true);
    // The camera keeps running (hidden) while the photo is measured: a try-on then follows it live.
    video.hidden = true;
    capture.hidden = true;
    measure(canvas);
  });

  close.addEventListener('click', shut);
  return { close: shut, dialog: dialog };
}
