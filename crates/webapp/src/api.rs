//! The JSON API of the page, on the same ports and rules as the dialog.
//!
//! Every request carries `Authorization: tma <initData>`; nothing is kept between requests,
//! so there is no session to steal and no cookie for a cross-site request to ride on. The
//! person's rights are read afresh each time: their card by the repository's ownership
//! query, admin rights from the configured and stored admins.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use tracing::{debug, warn};
use vitrina_cards::{
    Address, AreaId, Card, CardAction, CardContent, CardId, CardRepository as _, CardStatus,
    CategoryId, CityId, Contact, Description, Discount, Field, MAX_PHOTOS, MapLink, PageRequest,
    PhotoId, RepositoryError, Rule, SubcategoryId, Timestamp, Title, UserId, ValidationError,
};
use vitrina_dialog::{
    ButtonAction, Callback, ChatId, Effect, InlineButton, Keyboard, RichText, Settings,
    UserProfile, UserRepository as _,
};
use vitrina_i18n::{Arg, Catalog, Locale};
use vitrina_moderation::{
    AdminRepository as _, Admins, Decision, DecisionOutcome, ModerationRepository as _,
    ReasonError, RejectionReason, StandardReason, Verdict,
};
use vitrina_storage::Db;
use vitrina_update_source::{Outgoing, UpdateId, UpdateJournal as _};

use crate::assets;
use crate::init_data::{AuthError, InitDataCheck, WebAppUser};
use crate::photos::Photos;
use crate::words::{Words, status_key};

/// The scheme of the `Authorization` header Telegram's Mini App examples use.
const AUTH_SCHEME: &str = "tma ";

/// The update id the outbox rows of the page's changes carry: they answer no update.
const NO_UPDATE: u32 = 0;

/// How many of a partner's cards one listing reads at most.
const MAX_LISTED: u32 = 500;

/// The page and its API, mounted under a prefix of the bot's HTTP server.
#[derive(Clone)]
pub struct WebApp {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    catalog: Arc<Catalog>,
    settings: Settings,
    auth: InitDataCheck,
    photos: Option<Photos>,
}

impl std::fmt::Debug for WebApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebApp")
            .field("auth", &self.inner.auth)
            .finish_non_exhaustive()
    }
}

/// An answer of the API.
type Answer = Response<Bytes>;

/// Who is asking, checked.
struct Caller {
    user: WebAppUser,
    profile: UserProfile,
    locale: Locale,
    admins: Admins,
}

impl Caller {
    fn id(&self) -> UserId {
        UserId(self.user.id)
    }

    fn is_admin(&self) -> bool {
        self.admins.may_moderate(self.id())
    }
}

/// A refusal, as the page shows it: a status, a code the page acts on, and words.
struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
    fields: Option<Value>,
}

impl Refusal {
    fn new(status: StatusCode, code: &'static str, message: String) -> Refusal {
        Refusal {
            status,
            code,
            message,
            fields: None,
        }
    }

    fn into_answer(self) -> Answer {
        let mut body = json!({"error": self.code, "message": self.message});
        if let Some(fields) = self.fields {
            body["fields"] = fields;
        }
        json_answer(self.status, &body)
    }
}

type Outcome = Result<Answer, Refusal>;

impl WebApp {
    /// The page and API on `db`, speaking through `catalog`, with the dialog's `settings`
    /// (admins, feature flags, default language, reference data), accepting `initData`
    /// checked by `auth`. Without `photos` the page takes no photo uploads.
    pub fn new(
        db: Db,
        catalog: Arc<Catalog>,
        settings: Settings,
        auth: InitDataCheck,
        photos: Option<Photos>,
    ) -> WebApp {
        WebApp {
            inner: Arc::new(Inner {
                db,
                catalog,
                settings,
                auth,
                photos,
            }),
        }
    }

    /// Answers one request whose path is relative to the mount (`/`, `/app.js`,
    /// `/api/cards`, …).
    pub async fn handle(&self, request: Request<Bytes>) -> Response<Bytes> {
        let path = request.uri().path().to_owned();
        if let Some(api_path) = path.strip_prefix("/api/") {
            let api_path = api_path.to_owned();
            return match self.api(&request, &api_path).await {
                Ok(answer) => answer,
                Err(refusal) => refusal.into_answer(),
            };
        }
        if request.method() != Method::GET && request.method() != Method::HEAD {
            return plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        }
        assets::answer(&path)
    }

    /// The same, for a request whose path still has the mount's `prefix`.
    pub async fn handle_under(&self, prefix: &str, mut request: Request<Bytes>) -> Response<Bytes> {
        let path = request.uri().path();
        let prefix = prefix.trim_end_matches('/');
        let rest = path.strip_prefix(prefix).unwrap_or(path);
        if rest.is_empty() {
            // The page's links are relative: they need the `/`.
            let mut answer = plain(StatusCode::PERMANENT_REDIRECT, "\n");
            if let Ok(location) = HeaderValue::from_str(&format!("{prefix}/")) {
                answer
                    .headers_mut()
                    .insert(http::header::LOCATION, location);
            }
            return answer;
        }
        let with_query = match request.uri().query() {
            Some(query) => format!("{rest}?{query}"),
            None => rest.to_owned(),
        };
        match with_query.parse() {
            Ok(uri) => *request.uri_mut() = uri,
            Err(_) => return plain(StatusCode::BAD_REQUEST, "bad path\n"),
        }
        self.handle(request).await
    }

    async fn api(&self, request: &Request<Bytes>, path: &str) -> Outcome {
        if path == "welcome" && request.method() == Method::GET {
            return Ok(self.welcome(request));
        }
        let caller = self.caller(request).await?;
        let words = self.words(caller.locale);
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let method = request.method().clone();
        let body = request.body();
        match (method, segments.as_slice()) {
            (Method::GET, ["session"]) => Ok(self.session(&caller)),
            (Method::POST, ["partner"]) => self.become_partner(&caller).await,
            (Method::GET, ["cards"]) => self.my_cards(&caller).await,
            (Method::POST, ["cards"]) => self.submit(&caller, body, None).await,
            (Method::GET, ["cards", id]) => {
                let id = card_id(id, words)?;
                self.my_card(&caller, id).await
            }
            (Method::PUT, ["cards", id]) => {
                let id = card_id(id, words)?;
                self.submit(&caller, body, Some(id)).await
            }
            (Method::POST, ["cards", id, action]) => {
                let id = card_id(id, words)?;
                self.partner_action(&caller, id, action).await
            }
            (Method::GET, ["moderation", "next"]) => {
                self.next_pending(&caller, request.uri().query()).await
            }
            (Method::POST, ["moderation", id, "decision"]) => {
                let id = card_id(id, words)?;
                self.decide(&caller, id, body).await
            }
            (Method::POST, ["photos"]) => self.upload_photo(&caller, request).await,
            (Method::GET, ["photos", file_id]) => self.photo(&caller, file_id).await,
            _ => Err(Refusal::new(
                StatusCode::NOT_FOUND,
                "not-found",
                words.t("web-not-found"),
            )),
        }
    }

    /// The one answer without `initData`: what to do, for a page opened outside Telegram, in
    /// the browser's language.
    fn welcome(&self, request: &Request<Bytes>) -> Answer {
        let language = request
            .headers()
            .get(http::header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split([',', ';']).next())
            .map(str::trim);
        let locale = Locale::from_language_code(language, self.inner.settings.default_locale);
        json_answer(
            StatusCode::OK,
            &json!({"message": self.words(locale).t("web-open-in-telegram")}),
        )
    }

    fn words(&self, locale: Locale) -> Words<'_> {
        Words {
            catalog: &self.inner.catalog,
            reference: &self.inner.settings.reference,
            locale,
        }
    }

    /// Checks the `initData` and reads the person; a banned person is refused.
    async fn caller(&self, request: &Request<Bytes>) -> Result<Caller, Refusal> {
        let default = self.words(self.inner.settings.default_locale);
        let unauthorized = |error: AuthError| {
            debug!(%error, "a Mini App request refused");
            Refusal::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                default.t("web-unauthorized"),
            )
        };
        let init_data = request
            .headers()
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix(AUTH_SCHEME))
            .ok_or(AuthError::Missing)
            .map_err(unauthorized)?;
        let user = self
            .inner
            .auth
            .verify(init_data, now_secs())
            .map_err(unauthorized)?;
        let db = &self.inner.db;
        let profile = db
            .user(UserId(user.id))
            .await
            .map_err(|error| self.unavailable(error, default))?;
        let locale = profile
            .locale
            .as_deref()
            .and_then(Locale::parse)
            .unwrap_or_else(|| {
                Locale::from_language_code(
                    user.language_code.as_deref(),
                    self.inner.settings.default_locale,
                )
            });
        let words = self.words(locale);
        if profile.banned {
            return Err(Refusal::new(
                StatusCode::FORBIDDEN,
                "not-allowed",
                words.t("not-allowed"),
            ));
        }
        let stored = db
            .admins()
            .await
            .map_err(|error| self.unavailable(error, words))?;
        let admins = Admins::new(self.inner.settings.admins.iter().copied(), stored);
        Ok(Caller {
            user,
            profile,
            locale,
            admins,
        })
    }

    fn unavailable(&self, error: RepositoryError, words: Words<'_>) -> Refusal {
        warn!(error = %error.with_causes(), "a Mini App request failed on the storage");
        Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            words.t("web-unavailable"),
        )
    }

    /// Refusals of the repository, in the caller's words.
    fn refused(&self, error: RepositoryError, words: Words<'_>) -> Refusal {
        match error {
            RepositoryError::NotFound => {
                Refusal::new(StatusCode::NOT_FOUND, "not-found", words.t("web-not-found"))
            }
            RepositoryError::StatusChanged { .. } | RepositoryError::Refused(_) => {
                Refusal::new(StatusCode::CONFLICT, "conflict", words.t("web-conflict"))
            }
            RepositoryError::Invalid(reason) => {
                debug!(%reason, "a Mini App request refused as invalid");
                Refusal::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    words.t("validation-required"),
                )
            }
            RepositoryError::Unavailable(_) => self.unavailable(error, words),
        }
    }

    /// Who the page is for and everything it needs to draw itself: strings, reference data,
    /// reasons, rules.
    fn session(&self, caller: &Caller) -> Answer {
        let words = self.words(caller.locale);
        let settings = &self.inner.settings;
        let reference = &settings.reference;
        let cities: Vec<Value> = reference
            .cities()
            .iter()
            .map(|city| {
                json!({
                    "id": city.id.get(),
                    "name": words.t(&city.key),
                    "areas": city.areas.iter().map(|area| json!({"id": area.id.get(), "name": words.t(&area.key)})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let categories: Vec<Value> = reference
            .categories()
            .iter()
            .map(|category| {
                json!({
                    "id": category.id.get(),
                    "name": words.t(&category.key),
                    "subcategories": category.subcategories.iter().map(|sub| json!({"id": sub.id.get(), "name": words.t(&sub.key)})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let reasons: Vec<Value> = StandardReason::ALL
            .into_iter()
            .map(|reason| {
                json!({
                    "code": reason.code(),
                    "button": words.t(crate::words::reason_button_key(reason)),
                    "text": words.t(crate::words::reason_key(reason)),
                })
            })
            .collect();
        json_answer(
            StatusCode::OK,
            &json!({
                "user": {"id": caller.user.id, "first_name": caller.user.first_name},
                "locale": caller.locale.code(),
                "is_admin": caller.is_admin(),
                "is_partner": caller.profile.is_partner,
                "policy_accepted": caller.profile.has_accepted(settings.policy_version),
                "partner_cabinet": settings.partner_cabinet,
                "moderation": settings.moderation && caller.is_admin(),
                "photos": self.inner.photos.is_some(),
                "strings": words.page_strings(),
                "cities": cities,
                "categories": categories,
                "reasons": reasons,
                "limits": {
                    "title": [Title::MIN, Title::MAX],
                    "description": [Description::MIN, Description::MAX],
                    "contact": [1, Contact::MAX],
                    "address": [Address::MIN, Address::MAX],
                    "map_link": [1, MapLink::MAX],
                    "discount": [Discount::MIN, Discount::MAX],
                    "photos": MAX_PHOTOS,
                    "reason": [RejectionReason::CUSTOM_MIN, RejectionReason::CUSTOM_MAX],
                },
            }),
        )
    }

    /// The cabinet's gate, as the dialog keeps it: the flag on and the policy accepted.
    fn cabinet_gate(&self, caller: &Caller) -> Result<(), Refusal> {
        let words = self.words(caller.locale);
        if !self.inner.settings.partner_cabinet {
            return Err(Refusal::new(
                StatusCode::FORBIDDEN,
                "cabinet-unavailable",
                words.t("cabinet-unavailable"),
            ));
        }
        self.policy_gate(caller)
    }

    fn policy_gate(&self, caller: &Caller) -> Result<(), Refusal> {
        if caller
            .profile
            .has_accepted(self.inner.settings.policy_version)
        {
            Ok(())
        } else {
            Err(Refusal::new(
                StatusCode::FORBIDDEN,
                "policy",
                self.words(caller.locale).t("web-policy-needed"),
            ))
        }
    }

    fn partner_gate(&self, caller: &Caller) -> Result<(), Refusal> {
        self.cabinet_gate(caller)?;
        if caller.profile.is_partner {
            Ok(())
        } else {
            Err(Refusal::new(
                StatusCode::FORBIDDEN,
                "not-partner",
                self.words(caller.locale).t("web-not-partner"),
            ))
        }
    }

    fn admin_gate(&self, caller: &Caller) -> Result<(), Refusal> {
        let words = self.words(caller.locale);
        if !caller.is_admin() {
            return Err(Refusal::new(
                StatusCode::FORBIDDEN,
                "not-allowed",
                words.t("not-allowed"),
            ));
        }
        if !self.inner.settings.moderation {
            return Err(Refusal::new(
                StatusCode::FORBIDDEN,
                "moderation-unavailable",
                words.t("moderation-unavailable"),
            ));
        }
        self.policy_gate(caller)
    }

    async fn become_partner(&self, caller: &Caller) -> Outcome {
        self.cabinet_gate(caller)?;
        let words = self.words(caller.locale);
        self.inner
            .db
            .become_partner(caller.id())
            .await
            .map_err(|error| self.refused(error, words))?;
        Ok(json_answer(StatusCode::OK, &json!({"is_partner": true})))
    }

    async fn my_cards(&self, caller: &Caller) -> Outcome {
        self.partner_gate(caller)?;
        let words = self.words(caller.locale);
        let listing = self
            .inner
            .db
            .partner_cards(caller.id(), PageRequest::new(1, MAX_LISTED))
            .await
            .map_err(|error| self.refused(error, words))?;
        let cards: Vec<Value> = listing
            .items
            .iter()
            .map(|card| {
                json!({
                    "id": card.id.get(),
                    "title": card.title,
                    "status": card.status.shown().as_str(),
                    "status_text": words.t(status_key(card.status)),
                    "featured": card.featured,
                })
            })
            .collect();
        Ok(json_answer(
            StatusCode::OK,
            &json!({"cards": cards, "total": listing.page.total}),
        ))
    }

    async fn my_card(&self, caller: &Caller, id: CardId) -> Outcome {
        self.partner_gate(caller)?;
        let words = self.words(caller.locale);
        let card = self
            .inner
            .db
            .owned_card(caller.id(), id)
            .await
            .map_err(|error| self.refused(error, words))?;
        Ok(json_answer(StatusCode::OK, &card_json(words, &card)))
    }

    async fn partner_action(&self, caller: &Caller, id: CardId, action: &str) -> Outcome {
        self.partner_gate(caller)?;
        let words = self.words(caller.locale);
        let (action, key) = match action {
            "hide" => (CardAction::Hide, "card-hidden"),
            "show" => (CardAction::Show, "card-shown"),
            "delete" => (CardAction::Delete, "card-deleted"),
            _ => {
                return Err(Refusal::new(
                    StatusCode::NOT_FOUND,
                    "not-found",
                    words.t("web-not-found"),
                ));
            }
        };
        let status = self
            .inner
            .db
            .apply_partner_action(caller.id(), id, action, now())
            .await
            .map_err(|error| self.refused(error, words))?;
        Ok(json_answer(
            StatusCode::OK,
            &json!({
                "status": status.shown().as_str(),
                "status_text": words.t(status_key(status)),
                "message": words.t(key),
            }),
        ))
    }

    /// A new card, or a rejected one resubmitted: checked field by field with the wizard's
    /// rules, stored as pending, and every admin told in their language — in one transaction
    /// with the notices queued in the outbox.
    async fn submit(&self, caller: &Caller, body: &Bytes, resubmit: Option<CardId>) -> Outcome {
        self.partner_gate(caller)?;
        let words = self.words(caller.locale);
        let form: CardForm = serde_json::from_slice(body).map_err(|_| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                "bad-request",
                words.t("web-bad-request"),
            )
        })?;
        let content = form
            .validate(&self.inner.settings.reference)
            .map_err(|errors| {
                let fields: serde_json::Map<String, Value> = errors
                    .into_iter()
                    .map(|error| {
                        (
                            field_name(error.field).to_owned(),
                            Value::from(words.validation(error)),
                        )
                    })
                    .collect();
                Refusal {
                    fields: Some(Value::Object(fields)),
                    ..Refusal::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid",
                        words.t("web-form-invalid"),
                    )
                }
            })?;
        let now = now();
        let tx = self
            .inner
            .db
            .begin_transaction()
            .await
            .map_err(|error| self.refused(error, words))?;
        let stored = match resubmit {
            Some(id) => {
                // The form has no place field (a pin is given in the chat's wizard): the
                // card's stored coordinates are kept rather than cleared.
                let kept = tx
                    .owned_card(caller.id(), id)
                    .await
                    .ok()
                    .and_then(|card| card.content.location);
                let content = CardContent {
                    location: kept,
                    ..content.clone()
                };
                tx.resubmit(caller.id(), id, &content, now)
                    .await
                    .map(|()| id)
            }
            None => tx.submit_new(caller.id(), &content, now).await,
        };
        let id = match stored {
            Ok(id) => id,
            Err(error) => {
                let _ = tx.rollback_transaction().await;
                return Err(self.refused(error, words));
            }
        };
        let partner = match &caller.user.username {
            Some(username) => format!("{} (@{username})", caller.user.first_name),
            None => caller.user.first_name.clone(),
        };
        let mut notices = Vec::new();
        for admin in caller.admins.all() {
            let Some(locale) = self.recipient_locale(&tx, admin).await else {
                continue;
            };
            let words = self.words(locale);
            let text = words.tw(
                "notify-new-submission",
                &[
                    ("title", Arg::from(content.title.as_str())),
                    ("partner", Arg::from(partner.as_str())),
                ],
            );
            notices.push(Effect::Send {
                chat: ChatId(admin.get()),
                text: RichText::plain(text),
                keyboard: Keyboard::Inline(vec![vec![InlineButton {
                    label: words.t("btn-review"),
                    action: ButtonAction::Callback(Callback::Review(id).encode()),
                }]]),
            });
        }
        self.commit(tx, &notices, words).await?;
        Ok(json_answer(
            StatusCode::OK,
            &json!({"id": id.get(), "message": words.t("wizard-submitted")}),
        ))
    }

    /// The language to write to another person in; `None` when they blocked the bot. As the
    /// dialog: a failure to read their profile gives the default.
    async fn recipient_locale(&self, tx: &Db, to: UserId) -> Option<Locale> {
        let profile = tx.user(to).await.ok();
        if profile.as_ref().is_some_and(|profile| profile.blocked_bot) {
            return None;
        }
        let locale = profile
            .and_then(|profile| profile.locale)
            .as_deref()
            .and_then(Locale::parse);
        Some(locale.unwrap_or(self.inner.settings.default_locale))
    }

    /// Commits `tx` with `notices` queued in the outbox, their lock already lapsed: the
    /// courier of whichever instance looks first sends them, once.
    async fn commit(&self, tx: Db, notices: &[Effect], words: Words<'_>) -> Result<(), Refusal> {
        let outgoing: Vec<Outgoing> = notices
            .iter()
            .map(|effect| Outgoing {
                chat: effect.chat().map(|chat| chat.0),
                payload: serde_json::to_string(effect).unwrap_or_default(),
            })
            .collect();
        self.inner
            .db
            .commit(tx, UpdateId::new(NO_UPDATE), &outgoing, 0)
            .await
            .map(|_| ())
            .map_err(|error| {
                warn!(%error, "a Mini App change could not be committed");
                Refusal::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    words.t("web-unavailable"),
                )
            })
    }

    async fn next_pending(&self, caller: &Caller, query: Option<&str>) -> Outcome {
        self.admin_gate(caller)?;
        let words = self.words(caller.locale);
        let skipped: Vec<CardId> = query
            .map(|query| {
                form_urlencoded::parse(query.as_bytes())
                    .filter(|(key, _)| key == "skip")
                    .flat_map(|(_, value)| {
                        value
                            .split(',')
                            .filter_map(|id| id.trim().parse().ok().map(CardId))
                            .collect::<Vec<_>>()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let db = &self.inner.db;
        let card = db
            .next_pending(&skipped)
            .await
            .map_err(|error| self.refused(error, words))?;
        let left = db
            .pending_count()
            .await
            .map_err(|error| self.refused(error, words))?;
        Ok(json_answer(
            StatusCode::OK,
            &json!({
                "card": card.as_ref().map(|card| card_json(words, card)),
                "left": left,
                "left_text": words.tw("moderation-queue", &[("left", Arg::from(left))]),
            }),
        ))
    }

    /// Approves or rejects a pending card: one decision wins; the partner is told in their
    /// language through the outbox, in the decision's transaction.
    async fn decide(&self, caller: &Caller, id: CardId, body: &Bytes) -> Outcome {
        self.admin_gate(caller)?;
        let words = self.words(caller.locale);
        let bad_request = || {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                "bad-request",
                words.t("web-bad-request"),
            )
        };
        let form: DecisionForm = serde_json::from_slice(body).map_err(|_| bad_request())?;
        let verdict = match (form.verdict.as_str(), form.reason, form.text) {
            ("approve", _, _) => Verdict::Approve,
            ("reject", Some(code), _) => Verdict::Reject(RejectionReason::Standard(
                StandardReason::parse(&code).ok_or_else(bad_request)?,
            )),
            ("reject", None, Some(text)) => match RejectionReason::custom(&text) {
                Ok(reason) => Verdict::Reject(reason),
                Err(error) => {
                    let message = match error {
                        ReasonError::TooShort { min } => {
                            words.tw("validation-reason-too-short", &[("min", Arg::from(min))])
                        }
                        ReasonError::TooLong { max } => {
                            words.tw("validation-reason-too-long", &[("max", Arg::from(max))])
                        }
                    };
                    return Err(Refusal {
                        fields: Some(json!({ "reason": message.clone() })),
                        ..Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
                    });
                }
            },
            _ => return Err(bad_request()),
        };
        let decision = Decision::new(id, caller.id(), verdict.clone(), now());
        let tx = self
            .inner
            .db
            .begin_transaction()
            .await
            .map_err(|error| self.refused(error, words))?;
        let outcome = match tx.decide(&decision).await {
            Ok(outcome) => outcome,
            Err(RepositoryError::NotFound) => DecisionOutcome::AlreadyDecided {
                current: CardStatus::Deleted,
            },
            Err(error) => {
                let _ = tx.rollback_transaction().await;
                return Err(self.refused(error, words));
            }
        };
        let card = match outcome {
            DecisionOutcome::Applied(card) => card,
            DecisionOutcome::AlreadyDecided { .. } => {
                let _ = tx.rollback_transaction().await;
                return Err(Refusal::new(
                    StatusCode::CONFLICT,
                    "already-decided",
                    words.t("moderation-already-decided"),
                ));
            }
        };
        let mut notices = Vec::new();
        if let Some(locale) = self.recipient_locale(&tx, card.owner).await {
            let partner = self.words(locale);
            let title = Arg::from(card.content.title.as_str());
            let text = match &verdict {
                Verdict::Approve => partner.tw("notify-card-published", &[("title", title)]),
                Verdict::Reject(reason) => partner.tw(
                    "notify-card-rejected",
                    &[
                        ("title", title),
                        ("reason", Arg::from(partner.reason(reason))),
                    ],
                ),
            };
            notices.push(Effect::Send {
                chat: ChatId(card.owner.get()),
                text: RichText::plain(text),
                keyboard: Keyboard::None,
            });
        }
        self.commit(tx, &notices, words).await?;
        let key = match verdict {
            Verdict::Approve => "moderation-approved",
            Verdict::Reject(_) => "moderation-rejected",
        };
        Ok(json_answer(
            StatusCode::OK,
            &json!({
                "status": card.status.shown().as_str(),
                "message": words.t(key),
            }),
        ))
    }

    /// A photo from the page: sent to Telegram, which keeps it, and its `file_id` returned
    /// for the card form.
    async fn upload_photo(&self, caller: &Caller, request: &Request<Bytes>) -> Outcome {
        self.partner_gate(caller)?;
        let words = self.words(caller.locale);
        let Some(photos) = &self.inner.photos else {
            return Err(Refusal::new(
                StatusCode::NOT_FOUND,
                "not-found",
                words.t("web-not-found"),
            ));
        };
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        if !content_type.starts_with("image/") || request.body().is_empty() {
            return Err(Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                words.t("web-photo-refused"),
            ));
        }
        match photos
            .upload(caller.id(), request.body().clone(), content_type)
            .await
        {
            Ok(PhotoId(file_id)) => Ok(json_answer(StatusCode::OK, &json!({"file_id": file_id}))),
            Err(error) => {
                warn!(%error, "a photo from the page could not be sent to Telegram");
                Err(Refusal::new(
                    StatusCode::BAD_GATEWAY,
                    "photo-failed",
                    words.t("web-photo-refused"),
                ))
            }
        }
    }

    /// A photo, fetched from Telegram by its `file_id`, for anyone the page serves: a
    /// `file_id` is known only from a card the caller was shown.
    async fn photo(&self, caller: &Caller, file_id: &str) -> Outcome {
        let words = self.words(caller.locale);
        let not_found =
            || Refusal::new(StatusCode::NOT_FOUND, "not-found", words.t("web-not-found"));
        let Some(photos) = &self.inner.photos else {
            return Err(not_found());
        };
        match photos.download(file_id).await {
            Ok((bytes, content_type)) => {
                let mut answer = Response::new(bytes);
                let headers = answer.headers_mut();
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_str(&content_type)
                        .unwrap_or(HeaderValue::from_static("image/jpeg")),
                );
                headers.insert(
                    CACHE_CONTROL,
                    HeaderValue::from_static("private, max-age=86400"),
                );
                Ok(answer)
            }
            Err(error) => {
                debug!(%error, "a photo could not be fetched from Telegram");
                Err(not_found())
            }
        }
    }
}

/// A card as the page shows it.
fn card_json(words: Words<'_>, card: &Card) -> Value {
    let content = &card.content;
    let reference = words.reference;
    let city = reference.city(content.city);
    let area = content.area.and_then(|area| reference.area(area));
    let category = reference.category(content.category);
    let subcategory = content
        .subcategory
        .and_then(|sub| reference.subcategory(sub));
    let rejection = match (card.status, &card.rejection_reason) {
        (CardStatus::Rejected, Some(stored)) => {
            Some(words.reason(&RejectionReason::from_stored(stored)))
        }
        _ => None,
    };
    json!({
        "id": card.id.get(),
        "status": card.status.shown().as_str(),
        "status_text": words.t(status_key(card.status)),
        "featured": card.featured,
        "rejection_reason": rejection,
        "city": content.city.get(),
        "city_name": words.name(city.map(|city| city.key.as_str())),
        "area": content.area.map(AreaId::get),
        "area_name": words.name(area.map(|(_, area)| area.key.as_str())),
        "category": content.category.get(),
        "category_name": words.name(category.map(|category| category.key.as_str())),
        "subcategory": content.subcategory.map(SubcategoryId::get),
        "subcategory_name": words.name(subcategory.map(|(_, sub)| sub.key.as_str())),
        "title": content.title.as_str(),
        "description": content.description.as_ref().map(Description::as_str),
        "contact": content.contact.as_str(),
        "address": content.address.as_ref().map(Address::as_str),
        "map_link": content.map_link.as_ref().map(MapLink::as_str),
        "discount": content.discount.as_ref().map(Discount::as_str),
        "photos": content.photos.iter().map(|photo| photo.0.as_str()).collect::<Vec<_>>(),
    })
}

/// The card form as the page sends it: every field as typed, checked here.
#[derive(Debug, Deserialize)]
struct CardForm {
    city: Option<i64>,
    area: Option<i64>,
    category: Option<i64>,
    subcategory: Option<i64>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    map_link: String,
    #[serde(default)]
    discount: String,
    #[serde(default)]
    photos: Vec<String>,
}

/// An optional text field: blank is "skipped", as the wizard's *Skip*.
fn optional<T>(
    text: &str,
    parse: fn(&str) -> Result<T, ValidationError>,
) -> Result<Option<T>, ValidationError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse(text).map(Some)
    }
}

impl CardForm {
    /// The content, or every broken rule, one per field.
    fn validate(
        &self,
        reference: &vitrina_cards::Reference,
    ) -> Result<CardContent, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let mut draft = vitrina_cards::CardDraft::default();
        let required = |field| ValidationError {
            field,
            rule: Rule::Required,
        };
        match self.city {
            Some(city) => {
                if let Err(error) = draft
                    .set_city(reference, CityId(city))
                    .and_then(|()| draft.set_area(reference, self.area.map(AreaId)))
                {
                    errors.push(error);
                }
            }
            None => errors.push(required(Field::City)),
        }
        match self.category {
            Some(category) => {
                if let Err(error) = draft
                    .set_category(reference, CategoryId(category))
                    .and_then(|()| {
                        draft.set_subcategory(reference, self.subcategory.map(SubcategoryId))
                    })
                {
                    errors.push(error);
                }
            }
            None => errors.push(required(Field::Category)),
        }
        let mut take = |result: Result<(), ValidationError>| {
            if let Err(error) = result {
                errors.push(error);
            }
        };
        take(Title::parse(&self.title).map(|title| draft.title = Some(title)));
        take(optional(&self.description, Description::parse).map(|v| draft.description = v));
        take(Contact::parse(&self.contact).map(|contact| draft.contact = Some(contact)));
        take(optional(&self.address, Address::parse).map(|v| draft.address = v));
        take(optional(&self.map_link, MapLink::parse).map(|v| draft.map_link = v));
        take(optional(&self.discount, Discount::parse).map(|v| draft.discount = v));
        for photo in self.photos.iter().filter(|photo| !photo.trim().is_empty()) {
            if let Err(error) = draft.add_photo(PhotoId(photo.trim().to_owned())) {
                errors.push(error);
                break;
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        draft.complete().map_err(|error| vec![error])
    }
}

#[derive(Debug, Deserialize)]
struct DecisionForm {
    verdict: String,
    reason: Option<String>,
    text: Option<String>,
}

/// The name of a field in the form and in the API's errors.
fn field_name(field: Field) -> &'static str {
    match field {
        Field::City => "city",
        Field::Category => "category",
        Field::Title => "title",
        Field::Description => "description",
        Field::Contact => "contact",
        Field::Address => "address",
        Field::MapLink => "map_link",
        Field::Photos => "photos",
        Field::Discount => "discount",
    }
}

fn card_id(text: &str, words: Words<'_>) -> Result<CardId, Refusal> {
    text.parse()
        .map(CardId)
        .map_err(|_| Refusal::new(StatusCode::NOT_FOUND, "not-found", words.t("web-not-found")))
}

fn json_answer(status: StatusCode, body: &Value) -> Answer {
    let mut answer = Response::new(Bytes::from(body.to_string()));
    *answer.status_mut() = status;
    let headers = answer.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    answer
}

pub(crate) fn plain(status: StatusCode, text: &'static str) -> Answer {
    let mut answer = Response::new(Bytes::from_static(text.as_bytes()));
    *answer.status_mut() = status;
    answer.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    answer
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

fn now() -> Timestamp {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        });
    Timestamp(millis)
}
