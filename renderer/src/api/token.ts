// Browser mode's access token. `loci serve` prints http://127.0.0.1:PORT/?token=...; the page keeps
// the token for this tab only (sessionStorage) and takes it out of the address bar so it does not
// end up in bookmarks, history or screenshots.
const storageKey = 'loci.token';

export function takeTokenFromUrl(location: Location = window.location, history: History = window.history): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(storageKey, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(storageKey);
}

/** After the server refused the token (it restarted with a new one): forget it. */
export function forgetToken(): void {
  sessionStorage.removeItem(storageKey);
}

/** The token this tab holds (for URLs the page hands to igv.js: /files/<id>?token=...), or null. */
export function storedToken(): string | null {
  return sessionStorage.getItem(storageKey);
}
