// A cookie jar for the HTTP clients of the tests and the chaos suite: the portal's session
// cookie kept from each answer, and dropped when the API expires it.
export type CookieJar = Map<string, string>;

export function keepCookies(jar: CookieJar, headers: Headers): void {
  for (const c of headers.getSetCookie()) {
    const [pair] = c.split(';');
    const [name, ...rest] = pair!.split('=');
    const value = rest.join('=');
    if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name!);
    else jar.set(name!, value);
  }
}

export const cookieHeader = (jar: CookieJar): string => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
