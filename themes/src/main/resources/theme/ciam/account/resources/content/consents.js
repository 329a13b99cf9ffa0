// "Privacy and consents" page of the CIAM account console (shown by ciam-pages.js). Plain ES module, no build step.
// It talks to the consent module's self-service API with the user's login cookie: every change carries the page
// token from the API's answer (see ciam-account.js), which another site can neither read nor guess.
import { createElement as h, useCallback, useEffect, useState } from "react";
import { change as send, environment, format, getJson, loadTexts, realmUrl } from "./ciam-account.js";

const consentsUrl = `${realmUrl}/ciam-consent/me`;

const fallbackTexts = {
  ciamConsents: "Privacy and consents",
  ciamConsentsIntro: "What you have agreed to, and since when. Optional items can be given or withdrawn at any time; required ones are needed to use your account.",
  ciamConsentsFailed: "Your consents could not be loaded. Please try again later.",
  ciamConsentsStateGranted: "Given on {0} (version {1})",
  ciamConsentsStateWithdrawn: "Withdrawn on {0}",
  ciamConsentsStateDeclined: "Declined on {0}",
  ciamConsentsStateNone: "Not decided yet",
  ciamConsentsRequired: "Required to use your account",
  ciamConsentsNewVersion: "A new version is waiting for your decision at your next sign-in.",
  ciamConsentsGrant: "Give consent",
  ciamConsentsWithdraw: "Withdraw",
  ciamConsentsGrantLabel: "Give consent to {0}",
  ciamConsentsWithdrawLabel: "Withdraw consent to {0}",
  ciamConsentsChanged: "Your choice has been saved.",
  ciamConsentsChangeFailed: "Your choice could not be saved. Please reload the page and try again.",
  ciamConsentsReadDocument: "Read the document",
  ciamConsentsHistory: "History",
  ciamConsentsHistoryTime: "Date",
  ciamConsentsHistoryItem: "Item",
  ciamConsentsHistoryVersion: "Version",
  ciamConsentsHistoryDecision: "Decision",
  ciamConsentsHistoryWhere: "Where",
  ciamConsentsDecisionGranted: "Given",
  ciamConsentsDecisionDeclined: "Declined",
  ciamConsentsDecisionWithdrawn: "Withdrawn",
  ciamConsentsSourceRegistration: "Registration",
  ciamConsentsSourceLogin: "Sign-in",
  ciamConsentsSourceSelfService: "Your account",
  ciamConsentsSourceAdmin: "Support team",
  ciamConsentsSourceImport: "Imported",
  ciamConsentsDownload: "Download a copy of my data",
  ciamConsentsDownloadIntro: "Your profile, your consents with their history, and your recent sign-ins, as a JSON file.",
};

const decisionKeys = {
  granted: "ciamConsentsDecisionGranted",
  declined: "ciamConsentsDecisionDeclined",
  withdrawn: "ciamConsentsDecisionWithdrawn",
};

const sourceKeys = {
  registration: "ciamConsentsSourceRegistration",
  login: "ciamConsentsSourceLogin",
  "self-service": "ciamConsentsSourceSelfService",
  admin: "ciamConsentsSourceAdmin",
  import: "ciamConsentsSourceImport",
};

function when(instant) {
  return new Date(instant).toLocaleString(environment.locale || undefined, { dateStyle: "medium", timeStyle: "short" });
}

function stateText(purpose, t) {
  const current = purpose.current;
  if (!current) {
    return t.ciamConsentsStateNone;
  }
  if (current.decision === "granted") {
    return format(t.ciamConsentsStateGranted, when(current.decidedAt), String(current.version));
  }
  return format(current.decision === "withdrawn" ? t.ciamConsentsStateWithdrawn : t.ciamConsentsStateDeclined,
    when(current.decidedAt));
}

function PurposeItem({ purpose, t, onChange, busy }) {
  const title = purpose.titleText || purpose.id;
  const link = /^https?:\/\//i.test(purpose.documentUrl || "")
    ? h("a", { href: purpose.documentUrl, target: "_blank", rel: "noopener noreferrer" }, t.ciamConsentsReadDocument)
    : null;
  let action = null;
  if (purpose.required) {
    action = h("span", { className: "ciam-consent-required" }, t.ciamConsentsRequired);
  } else {
    const decision = purpose.granted ? "withdrawn" : "granted";
    action = h("button", {
      type: "button",
      disabled: busy,
      className: `pf-v5-c-button ${purpose.granted ? "pf-m-secondary pf-m-danger" : "pf-m-primary"} ciam-consent-change`,
      "data-decision": decision,
      "aria-label": format(purpose.granted ? t.ciamConsentsWithdrawLabel : t.ciamConsentsGrantLabel, title),
      onClick: () => onChange(purpose, decision),
    }, purpose.granted ? t.ciamConsentsWithdraw : t.ciamConsentsGrant);
  }
  return h("li", { className: "pf-v5-c-data-list__item ciam-consent-purpose", "data-purpose": purpose.id },
    h("div", { className: "pf-v5-c-data-list__item-row pf-v5-u-py-md" },
      h("div", { className: "pf-v5-c-data-list__item-content" },
        h("div", { className: "pf-v5-c-data-list__cell" },
          h("h2", { className: "pf-v5-c-title pf-m-md", id: `ciam-consent-${purpose.id}-title` }, title),
          h("p", null, purpose.descriptionText || ""),
          h("p", { className: "ciam-consent-state" }, stateText(purpose, t)),
          purpose.due && purpose.current ? h("p", { className: "ciam-consent-due" }, t.ciamConsentsNewVersion) : null,
          link),
        h("div", { className: "pf-v5-c-data-list__cell pf-m-align-right" }, action))));
}

function History({ history, titles, t }) {
  if (history.length === 0) {
    return null;
  }
  const column = (label) => h("th", { scope: "col" }, label);
  return h("section", { "aria-labelledby": "ciam-consent-history-title", className: "pf-v5-u-mt-xl" },
    h("h2", { className: "pf-v5-c-title pf-m-lg", id: "ciam-consent-history-title" }, t.ciamConsentsHistory),
    h("table", { className: "pf-v5-c-table pf-m-grid-md pf-m-compact", id: "ciam-consent-history" },
      h("thead", null, h("tr", null, column(t.ciamConsentsHistoryTime), column(t.ciamConsentsHistoryItem),
        column(t.ciamConsentsHistoryVersion), column(t.ciamConsentsHistoryDecision), column(t.ciamConsentsHistoryWhere))),
      h("tbody", null, history.map((receipt) => h("tr", { key: receipt.receipt, "data-decision": receipt.decision },
        h("td", { "data-label": t.ciamConsentsHistoryTime }, when(receipt.decidedAt)),
        h("td", { "data-label": t.ciamConsentsHistoryItem }, titles[receipt.purpose] || receipt.purpose),
        h("td", { "data-label": t.ciamConsentsHistoryVersion }, String(receipt.version)),
        h("td", { "data-label": t.ciamConsentsHistoryDecision },
          t[decisionKeys[receipt.decision]] || receipt.decision),
        h("td", { "data-label": t.ciamConsentsHistoryWhere },
          t[sourceKeys[receipt.source]] || receipt.source))))));
}

export default function Consents() {
  const [t, setTexts] = useState(fallbackTexts);
  const [standing, setStanding] = useState(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState("");

  const load = useCallback(async () => {
    try {
      setStanding(await getJson(consentsUrl));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);

  useEffect(() => {
    loadTexts(fallbackTexts).then(setTexts);
    load();
  }, [load]);

  const change = async (purpose, decision) => {
    setBusy(true);
    try {
      const response = await send(`${consentsUrl}/${encodeURIComponent(purpose.id)}`, "PUT",
        { decision, version: purpose.version });
      setStatus(response.ok ? t.ciamConsentsChanged : t.ciamConsentsChangeFailed);
    } catch {
      setStatus(t.ciamConsentsChangeFailed);
    }
    await load();
    setBusy(false);
  };

  let body;
  if (failed) {
    body = h("p", { className: "pf-v5-c-helper-text__item pf-m-error", role: "alert" }, t.ciamConsentsFailed);
  } else if (standing === null) {
    body = h("div", { className: "pf-v5-c-spinner", role: "progressbar", "aria-label": t.ciamConsents });
  } else {
    const titles = Object.fromEntries(standing.purposes.map((purpose) => [purpose.id, purpose.titleText || purpose.id]));
    body = h("div", null,
      h("ul", { className: "pf-v5-c-data-list", id: "ciam-consents", "aria-label": t.ciamConsents },
        standing.purposes.map((purpose) => h(PurposeItem, { key: purpose.id, purpose, t, onChange: change, busy }))),
      h(History, { history: standing.history, titles, t }),
      h("section", { className: "pf-v5-u-mt-xl" },
        h("p", null, t.ciamConsentsDownloadIntro),
        h("a", { className: "pf-v5-c-button pf-m-link", id: "ciam-consent-download", href: `${consentsUrl}/export`,
          download: "my-data.json" }, t.ciamConsentsDownload)));
  }

  return h("section", { className: "pf-v5-c-page__main-section pf-m-light", "aria-labelledby": "ciam-consents-title" },
    h("h1", { className: "pf-v5-c-title pf-m-2xl", id: "ciam-consents-title" }, t.ciamConsents),
    h("p", { className: "pf-v5-u-my-md" }, t.ciamConsentsIntro),
    h("p", { role: "status", "aria-live": "polite", className: "ciam-consent-status" }, status),
    body);
}
