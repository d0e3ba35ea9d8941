/// <reference types="vitest/config" />
import { fileURLToPath, URL } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` serves the SPA on :5173 and forwards the APIs and the issuer to the gateway of
// `make run` (override with NOXH_GATEWAY_URL), so the browser sees one origin as in production.
const gateway = process.env.NOXH_GATEWAY_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./src", import.meta.url)),
      // echarts-for-react's ESM build imports tslib without declaring it; echarts ships the one it needs.
      tslib: fileURLToPath(
        new URL("./node_modules/echarts/node_modules/tslib/tslib.es6.js", import.meta.url),
      ),
    },
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": { target: gateway, changeOrigin: false },
      "/auth": { target: gateway, changeOrigin: false },
    },
  },
  build: {
    outDir: "dist",
    sourcemap: "hidden",
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      // Two pages: the officers' SPA and the inspectors' field app (a PWA under /field/).
      input: {
        main: fileURLToPath(new URL("./index.html", import.meta.url)),
        field: fileURLToPath(new URL("./field/index.html", import.meta.url)),
      },
      output: {
        // Libraries change less often than the app: separate files stay cached across releases.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: "antd", test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[a-z-]+|dayjs)[\\/]/ },
            // Only the dashboard needs these: its lazily loaded chunks pull them in.
            { name: "charts", test: /node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor)[\\/]/ },
            { name: "maps", test: /node_modules[\\/](leaflet|react-leaflet|@react-leaflet)[\\/]/ },
            { name: "vendor", test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    restoreMocks: true,
    // One jsdom per worker, reused across files: antd loads once (the tests build their own state).
    isolate: false,
    testTimeout: 15000,
  },
});
