// The face runtime a photo app loads on demand: the landmark module (landmarks.js, ours), the
// runtime it imports (@vladmandic/human's browser build, tfjs inside) and the three models it
// needs. Each sits under a path that names its version, so it is cached for a year and never
// revalidated; a deploy that changes a byte changes the path. Read and gzipped once, on first ask.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

// The package exports no package.json; its node entry sits in dist/, one below the package root.
const humanDir = path.resolve(path.dirname(require.resolve('@vladmandic/human')), '..');
const humanVersion = (JSON.parse(fs.readFileSync(path.join(humanDir, 'package.json'), 'utf8')) as { version: string }).version;
const landmarksPath = path.join(__dirname, 'landmarks.js');
const tryOnPath = path.join(__dirname, 'try-on.js');
const dialogPath = path.join(__dirname, 'photo-dialog.js');
const cardPath = path.join(__dirname, 'card-step.js');

/** Face detector, 478-point mesh, iris: all the landmark module enables (about 4.8 MB). */
export const modelFiles = ['blazeface.json', 'blazeface.bin', 'facemesh.json', 'facemesh.bin', 'iris.json', 'iris.bin'] as const;

const moduleFiles: Record<string, string> = {
  'photo-dialog.js': dialogPath,
  'landmarks.js': landmarksPath,
  // The try-on apps' drawing, loaded after their run (try-on.js).
  'try-on.js': tryOnPath,
  // The PD Calculator's card marks, loaded when the shopper measures with a card (card-step.js).
  'card-step.js': cardPath,
  'human.esm.js': path.join(humanDir, 'dist', 'human.esm.js'),
};

/** Our modules and the runtime change together, so one digest of them all names their folder. */
export const faceModuleVersion = createHash('sha256')
  .update(fs.readFileSync(dialogPath))
  .update(fs.readFileSync(landmarksPath))
  .update(fs.readFileSync(tryOnPath))
  .update(fs.readFileSync(cardPath))
  .update(humanVersion)
  .digest('hex')
  .slice(0, 12);
/** The models change only with the runtime's release. */
export const faceModelsVersion = humanVersion;

export const faceRuntimePaths = {
  dialog: `/widget/face/${faceModuleVersion}/photo-dialog.js`,
  module: `/widget/face/${faceModuleVersion}/landmarks.js`,
  tryOn: `/widget/face/${faceModuleVersion}/try-on.js`,
  models: `/widget/models/${faceModelsVersion}/`,
} as const;

/** A year: the path changes whenever the bytes do. */
export const immutableCache = 'public, max-age=31536000, immutable';

export interface RuntimeFile {
  type: string;
  body: Buffer;
  gzipped: Buffer | null; // null when gzip saves under a tenth (the model weights)
}

const cache = new Map<string, Promise<RuntimeFile>>();
const typeOf = (name: string) => (name.endsWith('.js') ? 'text/javascript; charset=utf-8' : name.endsWith('.json') ? 'application/json' : 'application/octet-stream');

async function read(file: string, name: string): Promise<RuntimeFile> {
  const body = await fs.promises.readFile(file);
  const packed = await promisify(gzip)(body, { level: 9 });
  return { type: typeOf(name), body, gzipped: packed.length < body.length * 0.9 ? packed : null };
}

function cached(file: string, name: string): Promise<RuntimeFile> {
  let entry = cache.get(file);
  if (!entry) {
    entry = read(file, name);
    // A failed read is not kept: the next ask tries again.
    entry.catch(() => cache.delete(file));
    cache.set(file, entry);
  }
  return entry;
}

/** The module file of this version, or null for any other version or name. */
export function moduleFile(version: string, name: string): Promise<RuntimeFile> | null {
  const file = Object.hasOwn(moduleFiles, name) ? moduleFiles[name] : undefined;
  return version === faceModuleVersion && file ? cached(file, name) : null;
}

export function modelFile(version: string, name: string): Promise<RuntimeFile> | null {
  return version === faceModelsVersion && (modelFiles as readonly string[]).includes(name) ? cached(path.join(humanDir, 'models', name), name) : null;
}
