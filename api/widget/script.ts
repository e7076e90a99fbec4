// The widget script, read once at start-up: its ETag is a digest of the bytes, so a deploy that
// changes the script changes the tag and storefronts pick it up within one max-age.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { faceRuntimePaths } from './face-runtime';

/**
 * Every storefront downloads the script on every page view, so it is served without indentation
 * or whole-line `//` comments; the file keeps both for its readers. Safe for this file alone: it
 * has no template literals or multi-line strings, where leading spaces would be content.
 */
export function compact(script: string): string {
  return script
    .split('\n')
    .map((line) => line.trimStart())
    .filter((line) => line !== '' && !line.startsWith('//'))
    .join('\n');
}

// The face runtime's versioned paths are written in, so a photo app's first click loads them at once.
const source = compact(fs.readFileSync(path.join(__dirname, 'widget.js'), 'utf8')).replace("'__VARAI_FACE_RUNTIME__'", JSON.stringify(faceRuntimePaths));

export const widgetScript = {
  source,
  etag: `"${createHash('sha256').update(source).digest('base64url').slice(0, 27)}"`,
  /** Short: a brand's storefront gets a fixed widget within minutes, and the ETag makes revalidation cheap. */
  maxAgeSeconds: 300,
} as const;
