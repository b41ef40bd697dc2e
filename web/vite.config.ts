import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// During `npm run dev` the API runs separately (`mixwise serve`); MIXWISE_API points at it.
const api = process.env.MIXWISE_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  base: "./",
  server: { proxy: { "/api": { target: api, changeOrigin: true } } },
  build: {
    outDir: "dist",
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
  },
});
