// The address of a file a service registered (FileRegistry), for igv.js to read by byte range.
// The page's own origin serves it in both modes: http://127.0.0.1:PORT/files/<id>?token=... in
// browser mode (the token, since igv.js cannot send our Bearer header) and loci://app/files/<id>
// in the app. The renderer never sees a path, only the id.
import { storedToken } from './token';

export function fileUrl(fileId: string): string {
  const url = new URL(`/files/${encodeURIComponent(fileId)}`, window.location.href);
  const token = storedToken();
  if (token && !window.loci) url.searchParams.set('token', token);
  return url.toString();
}
