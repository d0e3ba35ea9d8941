import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FRONTEND, STATE_FILE, type StackState, startStack, stopStack } from "./stack";

/** `npm run build` (type check + Vite) into dist/, which the gateway serves from disk. */
function build(): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn("npm", ["run", "--silent", "build"], {
      cwd: FRONTEND,
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? done() : fail(new Error(`e2e: npm run build exited ${code}`))));
  });
}

export default async function globalSetup(): Promise<void> {
  mkdirSync(join(FRONTEND, "test-results", "screenshots"), { recursive: true });
  // A run killed before its teardown left a stack behind: stop it first.
  if (existsSync(STATE_FILE)) await stopStack(JSON.parse(readFileSync(STATE_FILE, "utf8")) as StackState);
  // People's access tokens live 12 s here (15 min in `make run`), so the runs exercise silent renewal.
  process.env.DEV_ISSUER_ACCESS_TTL_PEOPLE_S ??= "12";
  const started = Date.now();
  // The SPA is built while the stack starts (the gateway reads dist/ only when asked).
  const built = process.env.E2E_SKIP_BUILD ? Promise.resolve() : build();
  const stack = startStack();
  const [state] = await Promise.all([
    stack,
    built.catch(async (error) => {
      await stopStack(await stack);
      throw error;
    }),
  ]);
  if (!existsSync(join(FRONTEND, "dist", "index.html"))) {
    await stopStack(state);
    throw new Error("e2e: frontend/dist is missing (E2E_SKIP_BUILD was set without a build)");
  }
  process.env.E2E_BASE_URL = state.baseUrl;
  console.log(`e2e: stack ready at ${state.baseUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
