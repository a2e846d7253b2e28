// URLs printed anywhere (doctor, replay, the debug log, error messages) lose their userinfo:
// `https://user:password@host/x` is shown as `https://host/x`. A scan by hand rather than a
// regular expression keeps it linear on any input.

/** Characters that end a URL's authority part, or the URL itself in surrounding text. */
const AUTHORITY_END = new Set(['/', '?', '#', '"', "'", '`', '<', '>', '\\', ' ', '\t', '\n', '\r', '\f', '\v']);

function isSchemeChar(code: number): boolean {
  // a-z A-Z 0-9 + - .
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46;
}

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/** `text` with the `user[:password]@` part of every `scheme://` URL in it removed. */
export function withoutUserinfo(text: string): string {
  let at = text.indexOf('://');
  if (at === -1) return text;
  let out = '';
  let copied = 0;
  while (at !== -1) {
    // A scheme is one or more scheme characters starting with a letter, right before `://`.
    let start = at;
    while (start > 0 && isSchemeChar(text.charCodeAt(start - 1))) start--;
    while (start < at && !isLetter(text.charCodeAt(start))) start++;
    const authority = at + 3;
    let end = authority;
    let lastAt = -1;
    while (end < text.length && !AUTHORITY_END.has(text[end] ?? '')) {
      if (text[end] === '@') lastAt = end;
      end++;
    }
    if (start < at && lastAt !== -1) {
      out += text.slice(copied, authority);
      copied = lastAt + 1;
    }
    at = text.indexOf('://', Math.max(end, at + 3));
  }
  return out + text.slice(copied);
}
