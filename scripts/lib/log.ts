// Script output for humans: one prefix, timestamps relative to the script start.
const started = Date.now();

function stamp(): string {
  return `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;
}

export function log(msg: string): void {
  process.stdout.write(`[varai ${stamp()}] ${msg}\n`);
}

/** A step that may take a while: said before it starts, so a quiet terminal is not a hung one. */
export function step(msg: string): void {
  log(`… ${msg}`);
}
