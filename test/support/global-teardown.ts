// Stops only what globalSetup started; services an earlier `npm run services` started stay up.
export default async function globalTeardown(): Promise<void> {
  await globalThis.__testStack?.stop();
}
