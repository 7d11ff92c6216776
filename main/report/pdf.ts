// A report's HTML as PDF, outside the desktop app (browser mode and the CLI): the installed
// Chromium (or Chrome/Edge) prints it through playwright-core, with JavaScript off and every
// network request refused. The desktop app prints with Electron's own printToPDF instead
// (main/app/electron.ts sets AppContext.printToPdf), so it needs no browser.
//
// Search order for the browser (the first that exists wins):
//   1. $LOCI_CHROMIUM (a path to the executable);
//   2. the usual install places of Chromium, Google Chrome and Microsoft Edge for this platform;
//   3. chromium, chromium-browser, google-chrome, google-chrome-stable, microsoft-edge on $PATH.
import { existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Loci looks for a browser to print with, in order (see the header). */
export function chromiumCandidates(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  const out: string[] = [];
  if (env.LOCI_CHROMIUM) out.push(env.LOCI_CHROMIUM);
  if (platform === 'darwin') {
    for (const app of ['Chromium', 'Google Chrome', 'Microsoft Edge']) out.push(`/Applications/${app}.app/Contents/MacOS/${app}`);
  } else if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    for (const r of roots) out.push(join(r, 'Google', 'Chrome', 'Application', 'chrome.exe'), join(r, 'Chromium', 'Application', 'chrome.exe'), join(r, 'Microsoft', 'Edge', 'Application', 'msedge.exe'));
  } else {
    out.push('/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium', '/usr/bin/microsoft-edge');
  }
  const names = platform === 'win32' ? ['chrome.exe', 'msedge.exe'] : ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) for (const n of names) out.push(join(dir, n));
  return [...new Set(out)];
}

export function findChromium(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  for (const c of chromiumCandidates(env, platform)) {
    try {
      if (existsSync(c) && statSync(c).isFile()) return c;
    } catch {
      // unreadable: try the next
    }
  }
  return null;
}

/** What to install when no browser is found, per platform. */
export function noChromiumMessage(platform: NodeJS.Platform = process.platform): string {
  const install =
    platform === 'linux'
      ? 'install Chromium (Debian/Ubuntu: sudo apt-get install chromium; Fedora: sudo dnf install chromium) or Google Chrome'
      : platform === 'darwin'
        ? 'install Google Chrome or Chromium into /Applications'
        : 'install Google Chrome or Microsoft Edge';
  return `No Chromium, Chrome or Edge was found to print the PDF: ${install}, or set LOCI_CHROMIUM to the browser's executable. The desktop app prints PDFs without one.`;
}

export class NoChromiumError extends Error {
  constructor(platform: NodeJS.Platform = process.platform) {
    super(noChromiumMessage(platform));
    this.name = 'NoChromiumError';
  }
}

const FOOTER = `<div style="font: 8px sans-serif; color: #5c6670; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;"><span class="title"></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;

/** Prints the HTML with the found browser; throws NoChromiumError when there is none. */
export async function htmlToPdf(html: string, opts: { executablePath?: string | null } = {}): Promise<Uint8Array> {
  const executablePath = opts.executablePath ?? findChromium();
  if (!executablePath) throw new NoChromiumError();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    // A report needs nothing from anywhere; refuse every request so none can leave the machine.
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: FOOTER, margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' } });
  } finally {
    await browser.close();
  }
}
