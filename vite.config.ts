// The renderer's build: one static bundle in dist/renderer/ that both transports serve
// (Electron loads it through its own protocol, `loci serve` over loopback HTTP). Relative asset
// URLs (`base: './'`) make the same files work wherever they are served from.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The servers send this policy as a header too; a copy in the page protects any other way of
// loading it. Build only: the dev server's React refresh preamble is an inline script.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  // Inline styles for igv.js and Mantine: see contentSecurityPolicy() in main/transport/static.ts.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

function cspMetaTag(): Plugin {
  return {
    name: 'loci-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), cspMetaTag()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // igv alone is ~1.5 MB; it is lazy-loaded, so a large chunk does not slow the first paint.
    chunkSizeWarningLimit: 2000,
  },
  server: { host: '127.0.0.1' },
});
