// Where a credential may be sent (issue 9 §3). Pure: the base URL in, a verdict on it out.
// A credential goes to the API host and nowhere else: over https, or plain http only to this
// machine (127.0.0.0/8, ::1, localhost: a local gateway or a test double). Plain http to any other
// host crosses the network readable by anyone on the path, so it is refused unless the user says
// --allow-insecure-base-url; then a warning says so on stderr, in every mode.

export const INSECURE_FLAG = '--allow-insecure-base-url';

/** 127.0.0.0/8, ::1 and localhost — exactly; `127.example.com` or `localhost.evil` are not. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h === '[::1]' || h === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!m && m.slice(1).every((o) => Number(o) <= 255);
}

export type BaseUrlCheck = { ok: true /** Printed on stderr before anything is sent. */; warning?: string } | { ok: false; message: string; hint: string };

/** The origin only: a base URL may carry userinfo (a proxy or gateway password). */
function originOf(u: URL): string {
  return `${u.protocol}//${u.host}`;
}

export function checkBaseUrl(base: string | undefined, allowInsecure: boolean): BaseUrlCheck {
  if (!base || !base.trim()) return { ok: true };
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    return { ok: true }; // not a URL at all: the validator says so, and sends nothing
  }
  if (u.protocol !== 'http:' || isLoopbackHost(u.hostname)) return { ok: true };
  if (allowInsecure) {
    return {
      ok: true,
      warning: `warning: ANTHROPIC_BASE_URL=${originOf(u)} is plain http to another host: the credential crosses the network unencrypted (${INSECURE_FLAG}).`,
    };
  }
  return {
    ok: false,
    message: `ANTHROPIC_BASE_URL=${originOf(u)} is plain http to a host that is not this machine; the credential would cross the network unencrypted, so nothing was sent.`,
    hint: `Use the gateway's https:// address. If this network is trusted, add ${INSECURE_FLAG} (on every command that sends a credential).`,
  };
}
