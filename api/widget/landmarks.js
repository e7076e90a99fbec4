/* VARAi landmark module: finds one face's landmarks in a photo, in the shopper's browser.
   Loaded lazily (import()) by widget.js and the portal's preview, only when a shopper opens a
   photo app, from a versioned path on the API origin; it imports the face runtime
   (@vladmandic/human, tfjs bundled) from beside itself; the caller names the models' folder.
   The photo never leaves the page: what it returns is the landmark input the API takes
   (domain/engines/face-landmarks.ts), a few hundred numbers, no pixels. */
/* global document */
import { Human } from './human.esm.js';

// MediaPipe face mesh indices (domain/engines/face-landmarks.ts lists them with what each is).
// left/right are the subject's: the left eye is on the image's right in an unmirrored photo.
// The runtime appends the irises after the 468 mesh points the other way round from MediaPipe:
// 468–472 is the subject's left iris, 473–477 the right (centre first, then the contour).
var points = {
  hairline: 10, chin: 152, noseBridge: 168, noseTip: 1,
  foreheadLeft: 284, foreheadRight: 54, templeLeft: 356, templeRight: 127,
  cheekboneLeft: 454, cheekboneRight: 234, jawLeft: 397, jawRight: 172,
};
var eyes = {
  left: { outer: 263, inner: 362, upperLid: [466, 388, 387, 386, 385, 384, 398], lowerLid: [249, 390, 373, 374, 380, 381, 382], iris: [468, 469, 470, 471, 472] },
  right: { outer: 33, inner: 133, upperLid: [246, 161, 160, 159, 158, 157, 173], lowerLid: [7, 163, 144, 145, 153, 154, 155], iris: [473, 474, 475, 476, 477] },
};

var human = null;
var loading = null;

function config(base) {
  var off = { enabled: false };
  return {
    backend: 'webgl',
    modelBasePath: base,
    // A photo is one frame: no result caching or frame skipping, so the same photo always gives
    // the same landmarks.
    cacheSensitivity: 0,
    warmup: 'none',
    debug: false,
    async: true,
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: { enabled: true, rotation: true, maxDetected: 4, minConfidence: 0.5, skipFrames: 0, skipTime: 0, return: false },
      mesh: { enabled: true },
      iris: { enabled: true, skipFrames: 0, skipTime: 0 },
      attention: off, description: off, emotion: off, antispoof: off, liveness: off, gear: off,
    },
    body: off, hand: off, object: off, gesture: off, segmentation: off,
  };
}

/** Loads the models once (from modelBase, a URL ending in /); later calls share the same load. */
export function load(modelBase) {
  if (!loading) {
    human = new Human(config(modelBase));
    loading = human.load().then(function () { return human.tf.ready(); });
    // A failed load (the network dropped) is tried again on the next photo, not kept.
    loading.catch(function () { loading = null; });
  }
  return loading;
}

function round(v) {
  return Math.round(v * 10) / 10;
}

function pt(mesh, i) {
  var p = mesh[i];
  return { x: round(p[0]), y: round(p[1]) };
}

// The runtime truncates landmarks to whole pixels, which on a phone photo's 8 px iris is a 10%
// error. So the face found in the photo is cut out and enlarged to about this many pixels across
// before the landmarks are taken, and they are mapped back to photo pixels as fractions.
var closeUpPx = 640;

function closeUp(image, box, width, height) {
  var side = Math.max(box[2], box[3]) * 1.8;
  var scale = Math.max(1, closeUpPx / side);
  var x0 = Math.max(0, box[0] + box[2] / 2 - side / 2);
  var y0 = Math.max(0, box[1] + box[3] / 2 - side / 2);
  var w = Math.min(width - x0, side);
  var h = Math.min(height - y0, side);
  var canvas = document.createElement('canvas');
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  var ctx = canvas.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, x0, y0, w, h, 0, 0, canvas.width, canvas.height);
  return { canvas: canvas, x0: x0, y0: y0, scale: canvas.width / w };
}

function meshed(result) {
  return result.face.filter(function (f) { return f.mesh && f.mesh.length >= 478; });
}

function largestFirst(faces) {
  return faces.sort(function (a, b) { return b.box[2] * b.box[3] - a.box[2] * a.box[3]; });
}

function dist(a, b) {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function eye(mesh, e) {
  var contour = e.iris.slice(1).map(function (i) { return pt(mesh, i); });
  // The iris model's contour is right, top, left, bottom of the iris (in image terms).
  var horizontal = dist(contour[0], contour[2]);
  var vertical = dist(contour[1], contour[3]);
  return {
    outer: pt(mesh, e.outer),
    inner: pt(mesh, e.inner),
    upperLid: e.upperLid.map(function (i) { return pt(mesh, i); }),
    lowerLid: e.lowerLid.map(function (i) { return pt(mesh, i); }),
    // Eyelids cover the top and bottom of the iris more often than its sides: the horizontal
    // diameter is the one to trust; the vertical is sent for the try-on's iris ellipse.
    iris: { center: pt(mesh, e.iris[0]), diameterPx: round(horizontal), verticalDiameterPx: round(vertical), contour: contour },
  };
}

function faceOf(f, view) {
  var m = f.mesh.map(function (p) { return [view.x0 + p[0] / view.scale, view.y0 + p[1] / view.scale]; });
  var b = f.box;
  var named = {};
  for (var k in points) named[k] = pt(m, points[k]);
  return {
    score: Math.round(f.score * 100) / 100,
    box: { x: round(view.x0 + b[0] / view.scale), y: round(view.y0 + b[1] / view.scale), width: round(b[2] / view.scale), height: round(b[3] / view.scale) },
    rollDeg: f.rotation ? Math.round((f.rotation.angle.roll * 180) / Math.PI * 10) / 10 : 0,
    yawDeg: f.rotation ? Math.round((f.rotation.angle.yaw * 180) / Math.PI * 10) / 10 : 0,
    points: named,
    leftEye: eye(m, eyes.left),
    rightEye: eye(m, eyes.right),
  };
}

function sizeOf(image) {
  return { width: image.naturalWidth || image.videoWidth || image.width, height: image.naturalHeight || image.videoHeight || image.height };
}

/** The largest face's landmarks, taken again on a close-up of it for sub-pixel precision. */
async function precise(image, face, size) {
  var view = closeUp(image, face.box, size.width, size.height);
  var cx = view.canvas.width / 2, cy = view.canvas.height / 2;
  // A neighbour's face may reach into the close-up: the one nearest its centre is ours.
  var again = meshed(await human.detect(view.canvas)).sort(function (a, b) {
    return Math.hypot(a.box[0] + a.box[2] / 2 - cx, a.box[1] + a.box[3] / 2 - cy) - Math.hypot(b.box[0] + b.box[2] / 2 - cx, b.box[1] + b.box[3] / 2 - cy);
  });
  return again.length > 0 ? faceOf(again[0], view) : faceOf(face, { x0: 0, y0: 0, scale: 1 });
}

/**
 * Finds the faces in an image, canvas, video frame or ImageBitmap and returns the landmark input
 * of the largest one, with the count of faces, for the server to accept or refuse.
 */
export async function detect(image, modelBase) {
  await load(modelBase);
  var size = sizeOf(image);
  var faces = largestFirst(meshed(await human.detect(image)));
  var input = { kind: 'face-landmarks', version: 1, image: size, faceCount: faces.length };
  if (faces.length > 0) input.face = await precise(image, faces[0], size);
  return input;
}

/** Every face found, each from its own close-up, for tests and the benchmark. */
export async function detectAll(image, modelBase) {
  await load(modelBase);
  var size = sizeOf(image);
  var faces = largestFirst(meshed(await human.detect(image)));
  var out = [];
  for (var i = 0; i < faces.length; i++) out.push(await precise(image, faces[i], size));
  return out;
}
