import { existsSync, readFileSync } from "node:fs";
import { STATE_FILE, type StackState, stopStack } from "./stack";

export default async function globalTeardown(): Promise<void> {
  if (!existsSync(STATE_FILE)) return;
  const started = Date.now();
  await stopStack(JSON.parse(readFileSync(STATE_FILE, "utf8")) as StackState);
  console.log(`e2e: stack stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
