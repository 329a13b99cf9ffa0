// What the CIAM account console pages share: where the realm's APIs live, the realm's translated texts, and calls
// with the user's login cookie. Plain ES module, no build step.
export const environment = JSON.parse(document.getElementById("environment").textContent);
export const realmUrl = `${environment.serverBaseUrl}/realms/${encodeURIComponent(environment.realm)}`;

/** The realm's account-theme messages for these keys (translated by Keycloak), falling back to the given English. */
export async function loadTexts(fallbackTexts) {
  try {
    const response = await fetch(`${environment.serverBaseUrl}/resources/${encodeURIComponent(environment.realm)}`
      + `/account/${encodeURIComponent(environment.locale)}`, { credentials: "same-origin" });
    const body = response.ok ? await response.json() : [];
    const entries = Array.isArray(body) ? body.map(({ key, value }) => [key, value]) : Object.entries(body);
    return { ...fallbackTexts, ...Object.fromEntries(entries.filter(([key]) => key in fallbackTexts)) };
  } catch {
    return fallbackTexts;
  }
}

/** Fills {0}, {1}... as Keycloak's messages write them. */
export function format(text, ...values) {
  return values.reduce((result, value, index) => result.replace(`{${index}}`, value), text);
}

// The pack's APIs answer the login cookie with a page token (X-CIAM-CSRF) that another site can neither read nor
// guess, and accept a change made with the cookie only when it carries that token back.
const PAGE_TOKEN = "X-CIAM-CSRF";
let pageToken = "";

/** GETs JSON with the login cookie, keeping the page token; throws on any answer but 2xx. */
export async function getJson(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`);
  }
  pageToken = response.headers.get(PAGE_TOKEN) || pageToken;
  return response.json();
}

/** A change (PUT, DELETE...) with the login cookie and the page token of the last read. */
export function change(url, method, body) {
  const headers = { [PAGE_TOKEN]: pageToken };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  return fetch(url, { method, credentials: "same-origin", headers,
    body: body === undefined ? undefined : JSON.stringify(body) });
}
