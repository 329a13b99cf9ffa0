// "Known devices" page of the CIAM account console (keycloak.v3 loads it for the content.json entry).
// Plain ES module, no build step: React comes from the console's own import map. The page talks to the risk
// module's self-service API with the user's login cookie; a change carries the page token (see ciam-account.js).
import { createElement as h, useCallback, useEffect, useState } from "react";
import { change, environment, format, getJson, loadTexts, realmUrl } from "./ciam-account.js";

const devicesUrl = `${realmUrl}/ciam-risk/devices`;

const fallbackTexts = {
  ciamKnownDevices: "Known devices",
  ciamKnownDevicesIntro: "Browsers you have signed in with. Signing in from one of them needs no extra check; remove one you no longer use or do not recognise, and it will be checked again the next time it is used.",
  ciamKnownDevicesNone: "No known devices yet.",
  ciamKnownDevicesFailed: "Your devices could not be loaded. Please try again later.",
  ciamDeviceThisOne: "This device",
  ciamDeviceLastUsed: "Last used",
  ciamDevicePlace: "Place",
  ciamDeviceSignIns: "Sign-ins",
  ciamDeviceUnknownPlace: "Unknown",
  ciamDeviceForget: "Remove",
  ciamDeviceForgetLabel: "Remove {0}, last used {1}",
  ciamDeviceForgotten: "The device was removed.",
  ciamDeviceForgetFailed: "The device could not be removed. Please try again.",
};

// The console loads only the PatternFly styles of its own components: the badge is styled here.
const thisDeviceStyle = {
  marginInlineStart: "0.5rem",
  padding: "0 0.5rem",
  borderRadius: "1rem",
  fontSize: "0.875em",
  background: "var(--pf-v5-global--palette--blue-50, #e7f1fa)",
  color: "var(--pf-v5-global--palette--blue-700, #002952)",
};

function place(device, t) {
  return [device.lastCity, device.lastCountry].filter(Boolean).join(", ") || t.ciamDeviceUnknownPlace;
}

export default function KnownDevices() {
  const [t, setTexts] = useState(fallbackTexts);
  const [devices, setDevices] = useState(null);
  const [failed, setFailed] = useState(false);
  const [status, setStatus] = useState("");

  const load = useCallback(async () => {
    try {
      setDevices(await getJson(devicesUrl));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);

  useEffect(() => {
    loadTexts(fallbackTexts).then(setTexts);
    load();
  }, [load]);

  const forget = async (device) => {
    const response = await change(`${devicesUrl}/${encodeURIComponent(device.id)}`, "DELETE");
    setStatus(response.ok || response.status === 404 ? t.ciamDeviceForgotten : t.ciamDeviceForgetFailed);
    await load();
  };

  const when = (millis) => new Date(millis).toLocaleString(environment.locale || undefined,
    { dateStyle: "medium", timeStyle: "short" });

  let body;
  if (failed) {
    body = h("p", { className: "pf-v5-c-helper-text__item pf-m-error", role: "alert" }, t.ciamKnownDevicesFailed);
  } else if (devices === null) {
    body = h("div", { className: "pf-v5-c-spinner", role: "progressbar", "aria-label": t.ciamKnownDevices });
  } else if (devices.length === 0) {
    body = h("p", { id: "ciam-no-devices" }, t.ciamKnownDevicesNone);
  } else {
    body = h("table", { className: "pf-v5-c-table pf-m-grid-md", id: "ciam-known-devices", "aria-label": t.ciamKnownDevices },
      h("thead", null, h("tr", null,
        h("th", { scope: "col" }, t.ciamKnownDevices),
        h("th", { scope: "col" }, t.ciamDevicePlace),
        h("th", { scope: "col" }, t.ciamDeviceLastUsed),
        h("th", { scope: "col" }, t.ciamDeviceSignIns),
        h("td", null))),
      h("tbody", null, devices.map((device) => h("tr", { key: device.id, "data-device-id": device.id },
        h("td", { "data-label": t.ciamKnownDevices }, device.browser || "?",
          device.current ? h("span", { className: "ciam-this-device", style: thisDeviceStyle }, t.ciamDeviceThisOne) : null),
        h("td", { "data-label": t.ciamDevicePlace }, place(device, t)),
        h("td", { "data-label": t.ciamDeviceLastUsed }, when(device.lastUsed)),
        h("td", { "data-label": t.ciamDeviceSignIns }, String(device.logins)),
        h("td", { className: "pf-v5-c-table__action" },
          h("button", {
            type: "button",
            className: "pf-v5-c-button pf-m-secondary pf-m-danger ciam-forget-device",
            "aria-label": format(t.ciamDeviceForgetLabel, device.browser || "?", when(device.lastUsed)),
            onClick: () => forget(device),
          }, t.ciamDeviceForget))))));
  }

  return h("section", { className: "pf-v5-c-page__main-section pf-m-light", "aria-labelledby": "ciam-known-devices-title" },
    h("h1", { className: "pf-v5-c-title pf-m-2xl", id: "ciam-known-devices-title" }, t.ciamKnownDevices),
    h("p", { className: "pf-v5-u-my-md" }, t.ciamKnownDevicesIntro),
    h("p", { role: "status", "aria-live": "polite", className: "ciam-device-status" }, status),
    body);
}
