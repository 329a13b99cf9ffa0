// What the CIAM account console pages share: where the realm's APIs live, the realm's translated texts, and a
// JSON read with the user's login cookie. Plain ES module, no build step.
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

/** GETs JSON with the login cookie; throws on any answer but 2xx. */
export async function getJson(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`);
  }
  return response.json();
}
