//! Every port the dialog needs, in memory (feature `memory`): [`MemoryPorts`] satisfies
//! [`DialogPorts`](crate::DialogPorts), so the dialog's flows can be tested without a
//! database, and behaves as the storage does (one contract test suite runs against both).
//!
//! ```
//! use vitrina_cards::memory::block_on;
//! use vitrina_cards::{Timestamp, UserId};
//! use vitrina_dialog::DialogStore;
//! use vitrina_dialog::memory::MemoryPorts;
//!
//! let ports = MemoryPorts::new();
//! block_on(ports.save_dialog(UserId(1), "{}", Timestamp(10)))?;
//! assert_eq!(block_on(ports.load_dialog(UserId(1), Timestamp(9)))?.as_deref(), Some("{}"));
//! assert_eq!(block_on(ports.load_dialog(UserId(1), Timestamp(10)))?, None, "expired");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use vitrina_cards::memory::MemoryCards;
use vitrina_cards::{
    Card, CardAction, CardContent, CardId, CardRepository, CardStatus, CardSummary, CatalogFilter,
    CategoryId, CityId, Listing, PageRequest, Reference, RepositoryError, RepositoryResult,
    Timestamp, UserId,
};
use vitrina_moderation::memory::MemoryModeration;
use vitrina_moderation::{
    AdminDecision, AdminOutcome, AdminRepository, Decision, DecisionOutcome, LogEntry,
    ModerationRepository,
};

use crate::state::DialogState;
use crate::store::DialogStore;
use crate::user::{Forgotten, UserProfile, UserRepository};

fn lock<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A stored dialog state and the moment it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDialog {
    /// The serialized state, as the dialog saved it.
    pub state: String,
    /// From this moment on it reads as absent.
    pub expires_at: Timestamp,
}

/// [`DialogStore`] in memory. Clones share the same states.
#[derive(Debug, Clone, Default)]
pub struct MemoryDialogs {
    states: Arc<Mutex<BTreeMap<UserId, StoredDialog>>>,
}

impl MemoryDialogs {
    /// No states yet.
    pub fn new() -> MemoryDialogs {
        MemoryDialogs::default()
    }

    /// The stored state of `user`, expired or not.
    pub fn stored(&self, user: UserId) -> Option<StoredDialog> {
        lock(&self.states).get(&user).cloned()
    }
}

impl DialogStore for MemoryDialogs {
    async fn load_dialog(&self, user: UserId, now: Timestamp) -> RepositoryResult<Option<String>> {
        let states = lock(&self.states);
        let live = states.get(&user).filter(|stored| stored.expires_at > now);
        Ok(live.map(|stored| stored.state.clone()))
    }

    async fn save_dialog(
        &self,
        user: UserId,
        state: &str,
        expires_at: Timestamp,
    ) -> RepositoryResult<()> {
        let stored = StoredDialog {
            state: state.to_owned(),
            expires_at,
        };
        lock(&self.states).insert(user, stored);
        Ok(())
    }

    async fn clear_dialog(&self, user: UserId) -> RepositoryResult<()> {
        lock(&self.states).remove(&user);
        Ok(())
    }
}

#[derive(Debug, Default)]
struct UsersState {
    profiles: BTreeMap<UserId, UserProfile>,
    partners: BTreeSet<UserId>,
    writes: u64,
}

impl UsersState {
    fn profile(&mut self, id: UserId) -> &mut UserProfile {
        self.profiles.entry(id).or_insert_with(|| UserProfile {
            id,
            ..UserProfile::default()
        })
    }
}

/// [`UserRepository`] in memory. Clones share the same people.
#[derive(Debug, Clone)]
pub struct MemoryUsers {
    reference: Arc<Reference>,
    state: Arc<Mutex<UsersState>>,
}

impl MemoryUsers {
    /// Nobody yet; a chosen city must be one of `reference`'s.
    pub fn new(reference: Reference) -> MemoryUsers {
        MemoryUsers {
            reference: Arc::new(reference),
            state: Arc::default(),
        }
    }

    /// The profile of `id` if they were ever seen, without creating it.
    pub fn profile(&self, id: UserId) -> Option<UserProfile> {
        let state = lock(&self.state);
        state.profiles.get(&id).map(|profile| UserProfile {
            is_partner: state.partners.contains(&id),
            ..profile.clone()
        })
    }

    /// How many times a profile was written, changed or not: for tests that a step writes
    /// nothing it need not.
    pub fn writes(&self) -> u64 {
        lock(&self.state).writes
    }

    fn change(&self, id: UserId, change: impl FnOnce(&mut UserProfile)) -> RepositoryResult<()> {
        let mut state = lock(&self.state);
        state.writes += 1;
        change(state.profile(id));
        Ok(())
    }
}

impl UserRepository for MemoryUsers {
    async fn user(&self, id: UserId) -> RepositoryResult<UserProfile> {
        let mut state = lock(&self.state);
        let is_partner = state.partners.contains(&id);
        Ok(UserProfile {
            is_partner,
            ..state.profile(id).clone()
        })
    }

    async fn known_user(&self, id: UserId) -> RepositoryResult<Option<UserProfile>> {
        Ok(self.profile(id))
    }

    async fn set_locale(&self, id: UserId, locale: &str) -> RepositoryResult<()> {
        self.change(id, |profile| profile.locale = Some(locale.to_owned()))
    }

    async fn set_city(&self, id: UserId, city: CityId) -> RepositoryResult<()> {
        if self.reference.city(city).is_none() {
            return Err(RepositoryError::Invalid(format!("no city {city}")));
        }
        self.change(id, |profile| profile.city = Some(city))
    }

    async fn accept_policy(&self, id: UserId, version: u32) -> RepositoryResult<()> {
        self.change(id, |profile| profile.accepted_policy = Some(version))
    }

    async fn set_blocked_bot(&self, id: UserId, blocked: bool) -> RepositoryResult<()> {
        self.change(id, |profile| profile.blocked_bot = blocked)
    }

    async fn set_banned(&self, id: UserId, banned: bool) -> RepositoryResult<()> {
        self.change(id, |profile| profile.banned = banned)
    }

    async fn set_name(
        &self,
        id: UserId,
        first_name: &str,
        username: Option<&str>,
    ) -> RepositoryResult<()> {
        self.change(id, |profile| {
            profile.first_name = Some(first_name.to_owned());
            profile.username = username.map(str::to_owned);
        })
    }

    async fn become_partner(&self, id: UserId) -> RepositoryResult<bool> {
        let mut state = lock(&self.state);
        state.profile(id);
        Ok(state.partners.insert(id))
    }

    /// The profile and the partner row only: the people know no cards or states
    /// ([`MemoryPorts`] deletes those too).
    async fn forget(&self, id: UserId) -> RepositoryResult<Forgotten> {
        let mut state = lock(&self.state);
        state.partners.remove(&id);
        Ok(Forgotten {
            profile: state.profiles.remove(&id).is_some(),
            cards: 0,
        })
    }
}

/// Every port of [`DialogPorts`](crate::DialogPorts) in memory: the cards, the people, the
/// moderation queue over those same cards, the admins and the dialog states. Clones share
/// everything, so a test keeps one to look inside while the dialog works on another.
#[derive(Debug, Clone)]
pub struct MemoryPorts {
    cards: MemoryCards,
    users: MemoryUsers,
    moderation: MemoryModeration,
    dialogs: MemoryDialogs,
}

impl Default for MemoryPorts {
    fn default() -> MemoryPorts {
        MemoryPorts::new()
    }
}

impl MemoryPorts {
    /// Empty storage over Vitrina's reference data ([`crate::reference::vitrina`]): no
    /// cards, nobody, no admins stored, no states.
    pub fn new() -> MemoryPorts {
        MemoryPorts::with_reference(crate::reference::vitrina())
    }

    /// Empty storage whose cards and people must name the items of `reference`.
    pub fn with_reference(reference: Reference) -> MemoryPorts {
        let cards = MemoryCards::new(reference.clone());
        MemoryPorts {
            moderation: MemoryModeration::new(cards.clone()),
            cards,
            users: MemoryUsers::new(reference),
            dialogs: MemoryDialogs::new(),
        }
    }

    /// The cards, to look inside or set up what no port writes (featured cards, legacy
    /// statuses).
    pub fn cards(&self) -> &MemoryCards {
        &self.cards
    }

    /// The people.
    pub fn users(&self) -> &MemoryUsers {
        &self.users
    }

    /// The moderation log and the stored admins.
    pub fn moderation(&self) -> &MemoryModeration {
        &self.moderation
    }

    /// The dialog states.
    pub fn dialogs(&self) -> &MemoryDialogs {
        &self.dialogs
    }

    /// Every card stored, deleted ones included, in id order.
    pub fn all_cards(&self) -> Vec<Card> {
        self.cards.cards()
    }

    /// The whole moderation log, in the order the decisions applied.
    pub fn moderation_log(&self) -> Vec<LogEntry> {
        self.moderation.log_entries()
    }

    /// The profile of `user` if they were ever seen, without creating it.
    pub fn profile(&self, user: UserId) -> Option<UserProfile> {
        self.users.profile(user)
    }

    /// The dialog state of `user` as the dialog stored it, expired or not, read back as the
    /// dialog reads it; `None` when nothing is stored.
    pub fn dialog_state(&self, user: UserId) -> Option<DialogState> {
        let stored = self.dialogs.stored(user)?;
        Some(DialogState::from_json(
            &stored.state,
            self.cards.reference(),
        ))
    }
}

impl CardRepository for MemoryPorts {
    fn submit_new(
        &self,
        owner: UserId,
        content: &CardContent,
        now: Timestamp,
    ) -> impl Future<Output = RepositoryResult<CardId>> + Send {
        self.cards.submit_new(owner, content, now)
    }

    fn resubmit(
        &self,
        owner: UserId,
        id: CardId,
        content: &CardContent,
        now: Timestamp,
    ) -> impl Future<Output = RepositoryResult<()>> + Send {
        self.cards.resubmit(owner, id, content, now)
    }

    fn card(&self, id: CardId) -> impl Future<Output = RepositoryResult<Option<Card>>> + Send {
        self.cards.card(id)
    }

    fn owned_card(
        &self,
        owner: UserId,
        id: CardId,
    ) -> impl Future<Output = RepositoryResult<Card>> + Send {
        self.cards.owned_card(owner, id)
    }

    fn apply_partner_action(
        &self,
        owner: UserId,
        id: CardId,
        action: CardAction,
        now: Timestamp,
    ) -> impl Future<Output = RepositoryResult<CardStatus>> + Send {
        self.cards.apply_partner_action(owner, id, action, now)
    }

    fn partner_cards(
        &self,
        owner: UserId,
        page: PageRequest,
    ) -> impl Future<Output = RepositoryResult<Listing<CardSummary>>> + Send {
        self.cards.partner_cards(owner, page)
    }

    fn catalog(
        &self,
        filter: &CatalogFilter,
        page: PageRequest,
    ) -> impl Future<Output = RepositoryResult<Listing<CardSummary>>> + Send {
        self.cards.catalog(filter, page)
    }

    fn category_counts(
        &self,
        city: CityId,
    ) -> impl Future<Output = RepositoryResult<Vec<(CategoryId, u64)>>> + Send {
        self.cards.category_counts(city)
    }

    fn search(
        &self,
        query: &vitrina_cards::SearchQuery,
        page: PageRequest,
    ) -> impl Future<Output = RepositoryResult<Listing<CardSummary>>> + Send {
        self.cards.search(query, page)
    }

    fn published_places(
        &self,
    ) -> impl Future<Output = RepositoryResult<Vec<vitrina_cards::Place>>> + Send {
        self.cards.published_places()
    }
}

impl UserRepository for MemoryPorts {
    fn user(&self, id: UserId) -> impl Future<Output = RepositoryResult<UserProfile>> + Send {
        self.users.user(id)
    }

    fn known_user(
        &self,
        id: UserId,
    ) -> impl Future<Output = RepositoryResult<Option<UserProfile>>> + Send {
        self.users.known_user(id)
    }

    fn set_locale(
        &self,
        id: UserId,
        locale: &str,
    ) -> impl Future<Output = RepositoryResult<()>> + Send {
        self.users.set_locale(id, locale)
    }

    fn set_city(
        &self,
        id: UserId,
        city: CityId,
    ) -> impl Future<Output = RepositoryResult<()>> + Send {
        self.users.set_city(id, city)
    }

    fn accept_policy(
        &self,
        id: UserId,
        version: u32,
    ) -> impl Future<Output = RepositoryResult<()>> + Send {
        self.users.accept_policy(id, version)
    }

    fn set_blocked_bot(
        &self,
        id: UserId,
        blocked: bool,
    ) -> impl Future<Output = RepositoryResult<()>> + Send {
        self.users.set_blocked_bot(id, blocked)
    }

    fn set_banned(
        &self,
        id: UserId,
        banned: bool,
    ) -> impl Future<Output = RepositoryResult<()>> + Send {
        self.users.set_banned(id, banned)
    }

    fn set_name(
        &self,
        id: UserId,
        first_name: &str,
        username: Option<&str>,
    ) -> impl Future<Output = RepositoryResult<()>> + Send {
        self.users.set_name(id, first_name, username)
    }

    fn become_partner(&self, id: UserId) -> impl Future<Output = RepositoryResult<bool>> + Send {
        self.users.become_partner(id)
    }

    async fn forget(&self, id: UserId) -> RepositoryResult<Forgotten> {
        let removed = self.cards.remove_owned(id);
        self.moderation.anonymise(&removed, id);
        self.dialogs.clear_dialog(id).await?;
        let forgotten = self.users.forget(id).await?;
        Ok(Forgotten {
            cards: removed.len() as u64,
            ..forgotten
        })
    }
}

impl ModerationRepository for MemoryPorts {
    fn next_pending(
        &self,
        skipped: &[CardId],
    ) -> impl Future<Output = RepositoryResult<Option<Card>>> + Send {
        self.moderation.next_pending(skipped)
    }

    fn pending_count(&self) -> impl Future<Output = RepositoryResult<u64>> + Send {
        self.moderation.pending_count()
    }

    fn decide(
        &self,
        decision: &Decision,
    ) -> impl Future<Output = RepositoryResult<DecisionOutcome>> + Send {
        self.moderation.decide(decision)
    }

    fn log(&self, card: CardId) -> impl Future<Output = RepositoryResult<Vec<LogEntry>>> + Send {
        self.moderation.log(card)
    }

    fn act(
        &self,
        decision: &AdminDecision,
    ) -> impl Future<Output = RepositoryResult<AdminOutcome>> + Send {
        self.moderation.act(decision)
    }
}

impl AdminRepository for MemoryPorts {
    fn admins(&self) -> impl Future<Output = RepositoryResult<Vec<UserId>>> + Send {
        self.moderation.admins()
    }

    fn add_admin(&self, user: UserId) -> impl Future<Output = RepositoryResult<bool>> + Send {
        self.moderation.add_admin(user)
    }

    fn remove_admin(&self, user: UserId) -> impl Future<Output = RepositoryResult<bool>> + Send {
        self.moderation.remove_admin(user)
    }
}

impl DialogStore for MemoryPorts {
    fn load_dialog(
        &self,
        user: UserId,
        now: Timestamp,
    ) -> impl Future<Output = RepositoryResult<Option<String>>> + Send {
        self.dialogs.load_dialog(user, now)
    }

    fn save_dialog(
        &self,
        user: UserId,
        state: &str,
        expires_at: Timestamp,
    ) -> impl Future<Output = RepositoryResult<()>> + Send {
        self.dialogs.save_dialog(user, state, expires_at)
    }

    fn clear_dialog(&self, user: UserId) -> impl Future<Output = RepositoryResult<()>> + Send {
        self.dialogs.clear_dialog(user)
    }
}

#[cfg(test)]
mod tests {
    use vitrina_cards::memory::block_on;
    use vitrina_cards::{CardContent, CategoryId, CityId, Contact, Title};

    use super::*;
    use crate::DialogPorts;

    fn content() -> CardContent {
        CardContent {
            city: CityId(1),
            area: None,
            category: CategoryId(1),
            subcategory: None,
            title: Title::parse("Кофейня «Утро»").expect("title"),
            description: None,
            contact: Contact::parse("@morning_cafe").expect("contact"),
            address: None,
            map_link: None,
            photos: Vec::new(),
            discount: None,
            location: None,
        }
    }

    fn ports<P: DialogPorts>(ports: P) -> P {
        ports
    }

    #[test]
    fn a_card_a_partner_submits_is_the_card_the_queue_decides() {
        let memory = ports(MemoryPorts::new());
        let id = block_on(memory.submit_new(UserId(1), &content(), Timestamp(1))).expect("stored");
        assert_eq!(block_on(memory.pending_count()).expect("count"), 1);
        let decision = Decision::new(
            id,
            UserId(9),
            vitrina_moderation::Verdict::Approve,
            Timestamp(2),
        );
        let outcome = block_on(memory.decide(&decision)).expect("decided");
        assert!(
            matches!(outcome, DecisionOutcome::Applied(_)),
            "{outcome:?}"
        );
        let card = block_on(memory.owned_card(UserId(1), id)).expect("the partner's card");
        assert_eq!(card.status, CardStatus::Published);
        assert_eq!(memory.moderation_log(), [LogEntry::from(&decision)]);
    }

    #[test]
    fn the_stored_dialog_state_is_readable_without_the_clock() {
        let memory = MemoryPorts::new();
        let state = DialogState {
            moderation: Some(crate::state::Moderation {
                skipped: vec![CardId(4)],
                awaiting_reason: None,
                reason_screen: None,
            }),
            ..DialogState::default()
        };
        block_on(memory.save_dialog(UserId(3), &state.to_json(), Timestamp(5))).expect("saved");
        assert_eq!(memory.dialog_state(UserId(3)), Some(state));
        assert_eq!(memory.dialog_state(UserId(4)), None);
        block_on(memory.clear_dialog(UserId(3))).expect("cleared");
        assert_eq!(memory.dialogs().stored(UserId(3)), None);
    }
}
