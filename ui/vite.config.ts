/**
 * Keel's web UI build: a static single-page app in `ui/dist/` that `keel server` serves at `/`.
 * `npm run dev --workspace ui` proxies the API to a `keel server` on port 5000 (KEEL_UI_API overrides).
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.KEEL_UI_API ?? "http://127.0.0.1:5000";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { "/api": api, "/ajax-api": api, "/get-artifact": api, "/model-versions/get-artifact": api } },
});
