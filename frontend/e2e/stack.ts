/** Starting and stopping the real NOXH stack for the browser tests (as tests/system/test_stack.py does):
 * `python -m devstack.cli run` with a throwaway data folder and free ports, then `... stop`. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO = resolve(FRONTEND, "..");
export const STATE_FILE = join(FRONTEND, "test-results", "e2e-stack.json");
/** The issuer accepts the SPA's redirect URIs on these gateway ports only (tools/dev-issuer seed). */
const REGISTERED_PORTS = [8000, 5173];

export interface StackState {
  pid: number;
  baseUrl: string;
  dataDir: string;
  env: Record<string, string>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => done(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

async function gatewayPort(): Promise<number> {
  const wanted = process.env.E2E_GATEWAY_PORT;
  const candidates = wanted ? [Number(wanted)] : REGISTERED_PORTS;
  for (const port of candidates) if (await portFree(port)) return port;
  throw new Error(
    `e2e: no free gateway port among ${candidates.join(", ")} (the dev issuer accepts the SPA's redirect ` +
      "only there). Stop `make run` or the Vite dev server, or set E2E_GATEWAY_PORT.",
  );
}

function python(): string {
  const venv = join(REPO, ".venv", "bin", "python");
  return process.env.NOXH_PYTHON ?? (existsSync(venv) ? venv : "python3");
}

export async function startStack(): Promise<StackState> {
  const dataDir = mkdtempSync(join(tmpdir(), "noxh-spa-e2e-"));
  // As root, the embedded PostgreSQL runs as its own system user, which must reach this folder.
  chmodSync(dataDir, 0o755);
  const ports = new Set<number>();
  while (ports.size < 4) ports.add(await freePort());
  const [issuer, registry, funding, inspection] = [...ports];
  const gateway = await gatewayPort();
  const env: Record<string, string> = {
    NOXH_DATA_DIR: dataDir,
    NOXH_HOST: "127.0.0.1",
    NOXH_GATEWAY_PORT: String(gateway),
    NOXH_ISSUER_PORT: String(issuer),
    NOXH_REGISTRY_PORT: String(registry),
    NOXH_FUNDING_PORT: String(funding),
    NOXH_INSPECTION_PORT: String(inspection),
    NOXH_SPA_ROOT: join(FRONTEND, "dist"),
    NOXH_DB_PREFIX: "spa_e2e_",
    NOXH_READY_TIMEOUT: "150",
    NOXH_LOG_LEVEL: "WARNING",
  };
  if (process.env.NOXH_TEST_PG_URL) {
    // A shared server: this run's databases start empty, as the system test's do.
    env.NOXH_PG_URL = process.env.NOXH_TEST_PG_URL;
    dropDatabases(env.NOXH_PG_URL, env.NOXH_DB_PREFIX ?? "");
  } else {
    // Its own embedded PostgreSQL in the throwaway folder: nothing shared with `make run` or pytest.
    env.NOXH_PG_PORT = String(await freePort());
  }
  const output = openSync(join(dataDir, "noxh-run.out"), "w");
  const child: ChildProcess = spawn(python(), ["-m", "devstack.cli", "run"], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["ignore", output, output],
    detached: true,
  });
  child.unref();
  const state: StackState = { pid: child.pid ?? 0, baseUrl: `http://127.0.0.1:${gateway}`, dataDir, env };
  writeFileSync(STATE_FILE, JSON.stringify(state));

  const stackJson = join(dataDir, "run", "stack.json");
  const deadline = Date.now() + 170_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if (JSON.parse(readFileSync(stackJson, "utf8")).status === "ready") return state;
    } catch {
      // not written yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const log = readFileSync(join(dataDir, "noxh-run.out"), "utf8");
  await stopStack(state);
  throw new Error(`e2e: the stack did not become ready:\n${log}`);
}

const DROP_DATABASES = `
import sys, psycopg
from devstack.stack import SERVICES, with_database
with psycopg.connect(with_database(sys.argv[1], None, "postgresql"), autocommit=True) as conn:
    for service in SERVICES:
        conn.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}{service.database}" WITH (FORCE)')
`;

function dropDatabases(adminUrl: string, prefix: string): void {
  const result = spawnSync(python(), ["-c", DROP_DATABASES, adminUrl, prefix], {
    cwd: REPO,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`e2e: could not drop the ${prefix}* databases:\n${result.stderr}`);
}

export async function stopStack(state: StackState): Promise<void> {
  spawnSync(python(), ["-m", "devstack.cli", "stop"], {
    cwd: REPO,
    env: { ...process.env, ...state.env },
    stdio: "inherit",
    timeout: 90_000,
  });
  // `noxh run` exits once everything it started has stopped; wait for it (asynchronously, so Node can
  // reap it when it is our child), then make sure.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && alive(state.pid)) await new Promise((r) => setTimeout(r, 100));
  if (alive(state.pid)) {
    try {
      process.kill(-state.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  if (state.env.NOXH_PG_URL) dropDatabases(state.env.NOXH_PG_URL, state.env.NOXH_DB_PREFIX ?? "");
  rmSync(state.dataDir, { recursive: true, force: true });
  rmSync(STATE_FILE, { force: true });
}

function alive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
