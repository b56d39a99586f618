// Vitrina's Mini App: plain JavaScript, no build step. Every word comes from the API (the
// bot's Fluent catalog); every request carries Telegram's initData, never a cookie.
"use strict";

(function () {
  const API = "api/";
  const STATUSES = ["pending", "published", "rejected", "archived"];
  const launch = new URLSearchParams(location.hash.replace(/^#/, ""));
  const tg = () => (window.Telegram && window.Telegram.WebApp) || null;
  const initData = () => (tg() && tg().initData) || launch.get("tgWebAppData") || "";

  let session = null;
  let filter = "all";
  let skipped = [];
  const blobs = new Map();

  // --- small DOM helpers: text always goes in as text, never as HTML ---
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const $ = (id) => document.getElementById(id);
  const t = (key) => (session && session.strings[key]) || key;

  // Replaces a node's children: arrays are flattened, absent parts left out.
  function put(node, ...children) {
    node.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
  }

  function show(...nodes) {
    put($("view"), ...nodes);
    window.scrollTo(0, 0);
  }

  function notice(text, bad) {
    const box = $("notice");
    box.textContent = text || "";
    box.hidden = !text;
    box.className = bad ? "bad" : "";
  }

  // --- theme: Telegram's colours as CSS variables ---
  function applyTheme(params) {
    if (!params) return;
    for (const [key, value] of Object.entries(params)) {
      if (typeof value === "string") {
        document.documentElement.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
      }
    }
  }
  try { applyTheme(JSON.parse(launch.get("tgWebAppThemeParams") || "null")); } catch (_) { /* a plain browser */ }
  window.addEventListener("load", () => {
    const app = tg();
    if (!app) return;
    app.ready();
    app.expand();
    applyTheme(app.themeParams);
    app.onEvent && app.onEvent("themeChanged", () => applyTheme(app.themeParams));
  });

  // --- the API ---
  async function api(method, path, body, contentType) {
    const headers = { Authorization: "tma " + initData() };
    let payload;
    if (body instanceof Blob) {
      payload = body;
      headers["Content-Type"] = contentType || body.type || "image/jpeg";
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    let response;
    try {
      response = await fetch(API + path, { method, headers, body: payload });
    } catch (_) {
      return { ok: false, status: 0, data: { message: t("web-unavailable") } };
    }
    let data = {};
    try { data = await response.json(); } catch (_) { /* not JSON: the server's own refusals */ }
    if (!response.ok && !data.message) {
      data.message = response.status === 413 ? t("web-photo-refused") : t("web-unavailable");
    }
    return { ok: response.ok, status: response.status, data };
  }

  async function photoUrl(fileId) {
    if (blobs.has(fileId)) return blobs.get(fileId);
    const response = await fetch(API + "photos/" + encodeURIComponent(fileId), {
      headers: { Authorization: "tma " + initData() },
    });
    if (!response.ok) return "";
    const url = URL.createObjectURL(await response.blob());
    blobs.set(fileId, url);
    return url;
  }

  function photoStrip(photos, onRemove) {
    return el("div", { class: "photos" }, photos.map((fileId, index) => {
      const img = el("img", { alt: "" });
      photoUrl(fileId).then((url) => { if (url) img.src = url; });
      return el("figure", {}, img, onRemove
        ? el("button", { type: "button", class: "danger", onclick: () => onRemove(index), text: t("web-remove-photo") })
        : null);
    }));
  }

  // --- start ---
  async function start() {
    if (!initData()) {
      const answer = await api("GET", "welcome");
      show(el("p", { id: "no-telegram", text: answer.data.message || "" }));
      return;
    }
    const answer = await api("GET", "session");
    if (!answer.ok) {
      show(el("p", { id: "refused", class: "reason", text: answer.data.message || "" }));
      return;
    }
    session = answer.data;
    document.documentElement.lang = session.locale;
    document.title = t("web-title");
    $("title").textContent = t("web-title");
    tabs();
    if (session.moderation && !session.partner_cabinet) moderation();
    else cabinet();
  }

  function tabs(active) {
    const nav = $("tabs");
    const items = [];
    if (session.partner_cabinet) {
      items.push(el("button", { id: "tab-cards", class: active === "cards" ? "active" : "", onclick: cabinet, text: t("web-tab-cards") }));
    }
    if (session.moderation) {
      items.push(el("button", { id: "tab-moderation", class: active === "moderation" ? "active" : "", onclick: moderation, text: t("web-tab-moderation") }));
    }
    put(nav, ...items);
    nav.hidden = items.length < 2;
  }

  // --- the partner's cards ---
  async function cabinet() {
    tabs("cards");
    notice("");
    if (!session.policy_accepted) {
      show(el("p", { id: "policy", text: t("web-policy-needed") }));
      return;
    }
    if (!session.is_partner) {
      show(
        el("p", { id: "intro", text: t("web-partner-intro") }),
        el("button", { id: "become-partner", class: "primary", onclick: becomePartner, text: t("web-become-partner") }),
      );
      return;
    }
    const answer = await api("GET", "cards");
    if (!answer.ok) return notice(answer.data.message, true);
    const cards = answer.data.cards;
    const chips = el("div", { class: "chips", id: "filters" },
      ["all", ...STATUSES].map((status) => el("button", {
        "data-filter": status,
        class: filter === status ? "active" : "",
        onclick: () => { filter = status; cabinet(); },
        text: status === "all" ? t("web-filter-all") : t("status-" + status),
      })));
    const shown = cards.filter((card) => filter === "all" || card.status === filter);
    const list = shown.length
      ? el("ul", { class: "list", id: "cards" }, shown.map((card) => el("li", {
          "data-card": card.id,
          onclick: () => cardView(card.id),
        }, el("strong", { text: card.title }), el("span", { class: "status", text: card.status_text }))))
      : el("p", { class: "muted", id: "empty", text: t("my-cards-empty") });
    show(
      el("div", { class: "row" }, el("button", { id: "add-card", class: "primary", onclick: () => form(null), text: t("web-add-card") })),
      chips,
      list,
    );
  }

  async function becomePartner() {
    const answer = await api("POST", "partner");
    if (!answer.ok) return notice(answer.data.message, true);
    session.is_partner = true;
    form(null);
  }

  function cardBody(card) {
    let place = card.category_name + (card.subcategory_name ? " · " + card.subcategory_name : "");
    let area = card.city_name + (card.area_name ? ", " + card.area_name : "");
    return el("div", { class: "card", id: "card" },
      card.photos && card.photos.length ? photoStrip(card.photos) : null,
      el("h3", { text: card.title }),
      el("div", { class: "place", text: place }),
      card.description ? el("p", { text: card.description }) : null,
      el("p", { text: "📍 " + area }),
      card.address ? el("p", { text: "🏠 " + card.address }) : null,
      el("p", { text: "📞 " + card.contact }),
      card.discount ? el("p", { text: "🎁 " + card.discount }) : null,
      card.map_link && /^https?:\/\//i.test(card.map_link)
        ? el("p", {}, el("a", { href: card.map_link, target: "_blank", rel: "noopener", text: t("web-map") }))
        : null,
    );
  }

  async function cardView(id) {
    notice("");
    const answer = await api("GET", "cards/" + id);
    if (!answer.ok) return notice(answer.data.message, true);
    const card = answer.data;
    const actions = el("div", { class: "row", id: "actions" });
    const act = (action) => async () => {
      const result = await api("POST", "cards/" + id + "/" + action);
      if (!result.ok) return notice(result.data.message, true);
      if (action === "delete") { await cabinet(); return notice(result.data.message); }
      await cardView(id);
      notice(result.data.message);
    };
    if (card.status === "published") actions.append(el("button", { id: "hide", onclick: act("hide"), text: t("web-hide") }));
    if (card.status === "archived") actions.append(el("button", { id: "show", onclick: act("show"), text: t("web-show") }));
    if (card.status === "rejected") actions.append(el("button", { id: "resubmit", class: "primary", onclick: () => form(card), text: t("web-edit-resubmit") }));
    actions.append(el("button", {
      id: "delete", class: "danger",
      onclick: () => put(actions,
        el("p", { text: t("card-delete-confirm") }),
        el("button", { id: "delete-yes", class: "danger", onclick: act("delete"), text: t("web-delete-yes") }),
        el("button", { id: "delete-no", onclick: () => cardView(id), text: t("web-cancel") }),
      ),
      text: t("web-delete"),
    }));
    show(
      el("p", { id: "status", class: "muted", text: card.status_text }),
      card.rejection_reason ? el("p", { id: "rejection", class: "reason", text: "❗ " + card.rejection_reason }) : null,
      cardBody(card),
      actions,
      el("button", { id: "back", onclick: cabinet, text: t("web-back") }),
    );
  }

  // --- the card form, with the wizard's fields and a live preview ---
  function form(card) {
    notice("");
    const values = card ? { ...card, photos: [...card.photos] } : { photos: [] };
    const inputs = {};
    const errors = {};
    const field = (name, key, control, optional, hint) => {
      inputs[name] = control;
      errors[name] = el("div", { class: "error", id: "error-" + name });
      return el("div", {},
        el("label", { for: "field-" + name }, t(key), optional ? el("small", { text: " (" + t("web-field-optional") + ")" }) : null),
        control, hint ? el("div", { class: "muted", text: hint }) : null, errors[name]);
    };
    const select = (name, options, chosen, placeholder) => el("select", { id: "field-" + name, name },
      el("option", { value: "", text: placeholder }),
      options.map((option) => el("option", { value: option.id, selected: String(option.id) === String(chosen), text: option.name })));
    const text = (name, multiline) => el(multiline ? "textarea" : "input", {
      id: "field-" + name, name, value: multiline ? null : (values[name] || ""),
      maxlength: session.limits[name] ? session.limits[name][1] : null,
    }, multiline ? (values[name] || "") : []);

    const city = select("city", session.cities, values.city, t("web-choose"));
    const category = select("category", session.categories, values.category, t("web-choose"));
    const area = el("select", { id: "field-area", name: "area" });
    const subcategory = el("select", { id: "field-subcategory", name: "subcategory" });
    const fill = (target, items, chosen) => put(target,
      el("option", { value: "", text: t("web-none") }),
      items.map((item) => el("option", { value: item.id, selected: String(item.id) === String(chosen), text: item.name })));
    const areas = () => (session.cities.find((c) => String(c.id) === city.value) || { areas: [] }).areas;
    const subs = () => (session.categories.find((c) => String(c.id) === category.value) || { subcategories: [] }).subcategories;
    fill(area, areas(), values.area);
    fill(subcategory, subs(), values.subcategory);
    city.addEventListener("change", () => { fill(area, areas(), null); preview(); });
    category.addEventListener("change", () => { fill(subcategory, subs(), null); preview(); });

    const photos = el("div", { id: "photos" });
    const drawPhotos = () => {
      const full = values.photos.length >= session.limits.photos;
      const picker = el("input", { type: "file", accept: "image/*", id: "photo-file", hidden: true, onchange: upload });
      put(photos,
        photoStrip(values.photos, (index) => { values.photos.splice(index, 1); drawPhotos(); preview(); }),
        session.photos ? el("div", { class: "row" },
          picker,
          el("button", { type: "button", id: "add-photo", disabled: full, onclick: () => picker.click(), text: t("web-add-photo") + " (" + values.photos.length + "/" + session.limits.photos + ")" })) : null,
      );
    };
    async function upload(event) {
      const file = event.target.files && event.target.files[0];
      if (!file) return;
      const result = await api("POST", "photos", file, file.type);
      if (!result.ok) { errors.photos.textContent = result.data.message || ""; return; }
      errors.photos.textContent = "";
      values.photos.push(result.data.file_id);
      drawPhotos();
      preview();
    }

    const previewBox = el("div", { id: "preview" });
    const collect = () => ({
      city: city.value ? Number(city.value) : null,
      area: area.value ? Number(area.value) : null,
      category: category.value ? Number(category.value) : null,
      subcategory: subcategory.value ? Number(subcategory.value) : null,
      title: inputs.title.value,
      description: inputs.description.value,
      contact: inputs.contact.value,
      address: inputs.address.value,
      map_link: inputs.map_link.value,
      discount: inputs.discount.value,
      photos: values.photos,
    });
    const nameOf = (items, id) => ((items || []).find((item) => String(item.id) === String(id)) || {}).name || "";
    function preview() {
      const data = collect();
      const chosenCity = session.cities.find((c) => c.id === data.city);
      const chosenCategory = session.categories.find((c) => c.id === data.category);
      put(previewBox, el("h2", { text: t("web-preview") }), cardBody({
        ...data,
        title: data.title.trim() || "…",
        city_name: chosenCity ? chosenCity.name : "…",
        area_name: chosenCity ? nameOf(chosenCity.areas, data.area) : "",
        category_name: chosenCategory ? chosenCategory.name : "…",
        subcategory_name: chosenCategory ? nameOf(chosenCategory.subcategories, data.subcategory) : "",
        contact: data.contact.trim(),
        photos: [],
      }));
    }

    const submit = el("button", {
      id: "submit", class: "primary", type: "submit",
      text: card ? t("web-resubmit") : t("web-submit"),
    });
    const body = el("form", {
      id: "card-form", novalidate: true,
      oninput: preview,
      onsubmit: async (event) => {
        event.preventDefault();
        submit.disabled = true;
        const result = card ? await api("PUT", "cards/" + card.id, collect()) : await api("POST", "cards", collect());
        submit.disabled = false;
        for (const [name, box] of Object.entries(errors)) {
          box.textContent = "";
          inputs[name] && inputs[name].classList.remove("invalid");
        }
        if (!result.ok) {
          notice(result.data.message, true);
          for (const [name, message] of Object.entries(result.data.fields || {})) {
            if (errors[name]) errors[name].textContent = message;
            if (inputs[name]) inputs[name].classList.add("invalid");
          }
          const first = document.querySelector(".invalid");
          if (first) first.scrollIntoView({ block: "center" });
          return;
        }
        filter = "all";
        await cabinet();
        notice(result.data.message);
      },
    },
      field("city", "web-field-city", city),
      field("area", "web-field-area", area, true),
      field("category", "web-field-category", category),
      field("subcategory", "web-field-subcategory", subcategory, true),
      field("title", "web-field-title", text("title")),
      field("description", "web-field-description", text("description", true), true),
      field("contact", "web-field-contact", text("contact"), false, t("web-hint-contact")),
      field("address", "web-field-address", text("address"), true),
      field("map_link", "web-field-map-link", text("map_link"), true),
      field("photos", "web-field-photos", photos, true),
      field("discount", "web-field-discount", text("discount"), true),
      el("div", { class: "row" }, submit,
        el("button", { id: "cancel", type: "button", onclick: () => (card ? cardView(card.id) : cabinet()), text: t("web-cancel") })),
    );
    drawPhotos();
    show(card && card.rejection_reason ? el("p", { class: "reason", text: "❗ " + card.rejection_reason }) : null, body, previewBox);
    preview();
  }

  // --- moderation ---
  async function moderation() {
    tabs("moderation");
    notice("");
    if (!session.policy_accepted) {
      show(el("p", { id: "policy", text: t("web-policy-needed") }));
      return;
    }
    const query = skipped.length ? "?skip=" + skipped.join(",") : "";
    const answer = await api("GET", "moderation/next" + query);
    if (!answer.ok) return notice(answer.data.message, true);
    const card = answer.data.card;
    if (!card) {
      show(el("p", { id: "queue-empty", text: skipped.length ? t("web-queue-done") : t("moderation-empty") }));
      skipped = [];
      return;
    }
    const decide = (body) => async () => {
      const result = await api("POST", "moderation/" + card.id + "/decision", body);
      if (!result.ok) {
        if (result.data.error === "already-decided") { await moderation(); return notice(result.data.message, true); }
        return notice(result.data.message, true);
      }
      await moderation();
      notice(result.data.message);
    };
    const actions = el("div", { class: "row", id: "decision" },
      el("button", { id: "approve", class: "primary", onclick: decide({ verdict: "approve" }), text: t("btn-approve") }),
      el("button", { id: "reject", class: "danger", onclick: () => rejectReasons(), text: t("btn-reject") }),
      el("button", { id: "skip", onclick: () => { skipped.push(card.id); moderation(); }, text: t("web-skip") }),
    );
    function rejectReasons() {
      const custom = el("textarea", { id: "reject-text", placeholder: t("web-reject-custom"), maxlength: session.limits.reason[1] });
      const error = el("div", { class: "error", id: "error-reason" });
      put(actions,
        ...session.reasons.map((reason) => el("button", {
          "data-reason": reason.code, onclick: decide({ verdict: "reject", reason: reason.code }), text: reason.button,
        })),
        custom, error,
        el("button", {
          id: "reject-custom", class: "danger",
          onclick: async () => {
            const result = await api("POST", "moderation/" + card.id + "/decision", { verdict: "reject", text: custom.value });
            if (!result.ok && result.data.error === "invalid") { error.textContent = result.data.message; return; }
            if (!result.ok) { await moderation(); return notice(result.data.message, true); }
            await moderation();
            notice(result.data.message);
          },
          text: t("web-reject-send"),
        }),
        el("button", { id: "reject-cancel", onclick: () => moderation(), text: t("web-cancel") }),
      );
    }
    show(el("p", { id: "left", class: "muted", text: answer.data.left_text }), cardBody(card), actions);
  }

  start();
})();
