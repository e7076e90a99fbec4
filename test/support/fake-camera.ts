// A fake camera for Chromium: a Y4M file (Chromium's --use-file-for-fake-video-capture reads Y4M
// and MJPEG) made from a photo, so the widget's "Take a photo" sees a real face. The machine has no
// ffmpeg: the photo is decoded by the browser itself and converted to I420 (BT.601, full range) here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';

/** Writes `<tmp>/<name>.y4m` (two identical frames, looped by Chromium) and returns its path. */
export async function y4mFromPhoto(browser: Browser, photo: string, maxSide = 1280): Promise<string> {
  const page = await browser.newPage();
  try {
    const dataUrl = `data:image/jpeg;base64,${fs.readFileSync(photo).toString('base64')}`;
    const { width, height, rgba } = await page.evaluate(
      async ({ src, maxSide }) => {
        const g = globalThis as any;
        const img = new g.Image();
        img.src = src;
        await img.decode();
        const scale = Math.min(1, maxSide / Math.max(img.width, img.height));
        // I420 halves both sides: even sizes only.
        const width = Math.round((img.width * scale) / 2) * 2;
        const height = Math.round((img.height * scale) / 2) * 2;
        const c = g.document.createElement('canvas');
        c.width = width;
        c.height = height;
        const ctx = c.getContext('2d');
        ctx.drawImage(img, 0, 0, width, height);
        return { width, height, rgba: Array.from(ctx.getImageData(0, 0, width, height).data as Uint8ClampedArray) };
      },
      { src: dataUrl, maxSide },
    );
    const frame = toI420(Uint8Array.from(rgba), width, height);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'varai-camera-')), 'face.y4m');
    const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
    const mark = Buffer.from('FRAME\n');
    fs.writeFileSync(file, Buffer.concat([header, mark, frame, mark, frame]));
    return file;
  } finally {
    await page.close();
  }
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

/** RGBA → planar Y, U, V (chroma averaged over each 2×2 block). */
export function toI420(rgba: Uint8Array, width: number, height: number): Buffer {
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const k = (j * width + i) * 4;
      y[j * width + i] = clamp(0.299 * rgba[k]! + 0.587 * rgba[k + 1]! + 0.114 * rgba[k + 2]!);
    }
  }
  for (let j = 0; j < height / 2; j++) {
    for (let i = 0; i < width / 2; i++) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const k = ((2 * j + dy) * width + 2 * i + dx) * 4;
        r += rgba[k]! / 4;
        g += rgba[k + 1]! / 4;
        b += rgba[k + 2]! / 4;
      }
      u[j * (width / 2) + i] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      v[j * (width / 2) + i] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  return Buffer.concat([y, u, v]);
}
