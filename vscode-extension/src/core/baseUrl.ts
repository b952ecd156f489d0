// The Neptun base URL policy, as the server applies it: an origin, https except on loopback.

export class InsecureBaseUrl extends Error {}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare.endsWith(".localhost") || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** `https://x/api/` -> `https://x`; refuses plain http to any host but this machine. */
export function origin(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new InsecureBaseUrl(`The Neptun base URL "${baseUrl}" is not a URL: set neptun.baseUrl to e.g. https://neptun-webui.vercel.app.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InsecureBaseUrl(`The Neptun base URL "${baseUrl}" must start with https://.`);
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new InsecureBaseUrl("Refusing plain http:// to a host that is not this machine: use https://.");
  }
  return url.origin;
}
