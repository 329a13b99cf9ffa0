// The console loads one module for every page of ours (see theme.properties): this one shows the page its
// address names, "consents/..." or the known devices.
import { createElement as h } from "react";
import Consents from "./consents.js";
import KnownDevices from "./known-devices.js";

export default function CiamPage() {
  return window.location.pathname.includes("/consents/") ? h(Consents) : h(KnownDevices);
}
