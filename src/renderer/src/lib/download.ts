/**
 * Saves text as a file the moderator keeps: a Blob behind a temporary `download` link. Works the
 * same in Electron (which asks where to save) and in a browser; no main-process round trip.
 */
export function downloadText(filename: string, text: string, mimeType = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mimeType};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Revoked on the next turn: the download has taken its copy by then.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
