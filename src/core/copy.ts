// User-facing words said in more than one place (issue 12: the install hint, the Console hint,
// the terms note and the default base URL had been copied up to nine times, and some copies had
// drifted). Change them here and every screen, hint and error says the new words.

/** Where requests go when $ANTHROPIC_BASE_URL is unset. */
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** The base URL as shown to the user: $ANTHROPIC_BASE_URL without trailing slashes, else the default. */
export function shownBaseUrl(base: string | undefined): string {
  return base?.replace(/\/+$/, '') || DEFAULT_BASE_URL;
}

/** How to install Claude Code (the `claude` binary). */
export const INSTALL_CLAUDE_CODE = 'npm install -g @anthropic-ai/claude-code';

/** Where an API key is made. */
export const CONSOLE_API_KEYS = 'console.anthropic.com → Settings → API keys';

/** Where credits are added. */
export const CONSOLE_BILLING = 'console.anthropic.com → Settings → Plans & Billing';

export const SUBSCRIPTION_TERMS = "Subscription credentials used outside Claude Code may be restricted by Anthropic's terms.";

/** The terms note where a setup-token is about to be stored by a command. */
export const SUBSCRIPTION_TERMS_ROUTE = `${SUBSCRIPTION_TERMS} An API key is the recommended route.`;
