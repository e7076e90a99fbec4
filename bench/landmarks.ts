// `npm run bench:landmarks`: the face runtime in headless Chromium (SwiftShader WebGL, as CI and
// most test machines have no GPU), served the way the API serves it (api/widget/face-runtime.ts)
// from a bare local server, so the figures are the browser's alone. Prints the model load time, the
// first photo (which compiles the shaders), then per-photo time over repeated runs (p50 and max)
// of what the widget does per photo: find the faces, then mesh and iris on a close-up of the largest.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { faceRuntimePaths, modelFile, moduleFile, faceModelsVersion, faceModuleVersion, type RuntimeFile } from '../api/widget/face-runtime';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const assets = path.join(path.dirname(require.resolve('@vladmandic/human')), '..', 'assets');
const photos = ['screenshot-faceid.jpg', 'screenshot-facedetect.jpg'];
const say = (line: string) => process.stdout.write(`${line}\n`);

function fileFor(url: string): Promise<RuntimeFile> | null {
  const [, kind, version, name] = url.split('/').slice(1);
  if (kind === 'face') return moduleFile(version ?? '', name ?? '');
  if (kind === 'models') return modelFile(version ?? '', name ?? '');
  return null;
}

async function main(): Promise<void> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0]!;
    if (url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
    if (url.startsWith('/photos/') && photos.includes(url.slice(8))) return void fs.createReadStream(path.join(assets, url.slice(8))).pipe(res.writeHead(200, { 'content-type': 'image/jpeg' }));
    const file = fileFor(url);
    if (!file) return void res.writeHead(404).end();
    void file.then((f) => res.writeHead(200, { 'content-type': f.type }).end(f.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(origin + '/');
    // SwiftShader runs the shaders on the CPU: figures on a busy machine say more about the machine.
    const [load1] = os.loadavg();
    say(`face runtime ${faceModuleVersion}, models ${faceModelsVersion}; ${runs} runs per photo; Chromium ${browser.version()}, SwiftShader WebGL; ${os.cpus().length} CPUs, load average ${load1!.toFixed(1)}`);
    const out = (await page.evaluate(
      `(async () => {
        const m = await import(${JSON.stringify(faceRuntimePaths.module)});
        const models = location.origin + ${JSON.stringify(faceRuntimePaths.models)};
        const t0 = performance.now();
        await m.load(models);
        const load = performance.now() - t0;
        const result = { load, photos: {} };
        for (const name of ${JSON.stringify(photos)}) {
          const img = new Image();
          img.src = '/photos/' + name;
          await img.decode();
          const times = [];
          let faces = 0;
          for (let i = 0; i < ${runs + 1}; i++) {
            const t = performance.now();
            const input = await m.detect(img, models);
            times.push(performance.now() - t);
            faces = input.faceCount;
          }
          result.photos[name] = { size: img.naturalWidth + 'x' + img.naturalHeight, faces, times };
        }
        return result;
      })()`,
    )) as { load: number; photos: Record<string, { size: string; faces: number; times: number[] }> };
    say(`model load (blazeface + facemesh + iris, from the server): ${out.load.toFixed(0)} ms`);
    for (const [name, p] of Object.entries(out.photos)) {
      const [first, ...rest] = p.times;
      const sorted = [...rest].sort((a, b) => a - b);
      const p50 = sorted[Math.floor(sorted.length / 2)] ?? NaN;
      say(
        `${name} (${p.size}, ${p.faces} face${p.faces === 1 ? '' : 's'}): first ${first!.toFixed(0)} ms, then p50 ${p50.toFixed(0)} ms, max ${Math.max(...sorted).toFixed(0)} ms per photo (detect + close-up mesh and iris)`,
      );
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
