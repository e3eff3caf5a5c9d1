//! Undo for read/star changes made with a key (`m`, `s`, `A`, `Ctrl-a`): each change records the flags
//! it overwrote, by article identity (keys move when a feed re-sorts); `U` puts them back one step at a
//! time and saves them. Opening an article marks it read without a step. `Ctrl-a` over several feeds
//! asks first.

use super::prompt::{Prompt, PromptKind};
use super::{App, Effect};
use crate::model::{ArticleId, FeedId};
use crate::store::{ArticleKey, FlagWrite};

/// Steps kept; older ones are forgotten.
const MAX_STEPS: usize = 100;

/// One article's flags before a change.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Before {
    feed: FeedId,
    id: ArticleId,
    read: bool,
    starred: bool,
}

/// One undoable change: what it was (for the status bar) and the flags it overwrote.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    what: String,
    before: Vec<Before>,
}

/// The session's undoable changes, newest last.
#[derive(Debug, Default)]
pub struct UndoStack {
    steps: Vec<Step>,
}

impl UndoStack {
    /// How many changes can be undone.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// True when there is nothing to undo.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

impl App {
    /// The flags of `keys` as they are now, to record before changing them.
    pub(super) fn flags_before(&self, keys: &[ArticleKey]) -> Vec<(FeedId, ArticleId, bool, bool)> {
        keys.iter()
            .filter_map(|&k| {
                self.store
                    .get(k)
                    .map(|a| (k.feed, a.id.clone(), a.read, a.starred))
            })
            .collect()
    }

    /// Record a change described by `what` that overwrote `before`, keeping only articles whose flags
    /// really changed (nothing changed: no step).
    pub(super) fn record_undo(
        &mut self,
        what: String,
        before: Vec<(FeedId, ArticleId, bool, bool)>,
    ) {
        let changed: Vec<Before> = before
            .into_iter()
            .filter(|(feed, id, read, starred)| {
                self.store
                    .find(*feed, id)
                    .and_then(|k| self.store.get(k))
                    .is_some_and(|a| a.read != *read || a.starred != *starred)
            })
            .map(|(feed, id, read, starred)| Before {
                feed,
                id,
                read,
                starred,
            })
            .collect();
        if changed.is_empty() {
            return;
        }
        if self.undo.steps.len() == MAX_STEPS {
            self.undo.steps.remove(0);
        }
        self.undo.steps.push(Step {
            what,
            before: changed,
        });
    }

    /// `U`: put back the flags of the last step and save them.
    pub(super) fn undo_last(&mut self) -> Vec<Effect> {
        let Some(step) = self.undo.steps.pop() else {
            self.note("nothing to undo".into());
            return Vec::new();
        };
        let mut writes: Vec<FlagWrite> = Vec::new();
        for b in &step.before {
            let Some(key) = self.store.find(b.feed, &b.id) else {
                continue; // dropped by retention since
            };
            self.store.set_read(key, b.read);
            if self.store.get(key).is_some_and(|a| a.starred != b.starred) {
                self.store.toggle_starred(key);
            }
            writes.extend(self.store.flag_write(key));
        }
        self.note(format!("undone: {}", step.what));
        if writes.is_empty() {
            Vec::new()
        } else {
            vec![Effect::SaveFlags(writes)]
        }
    }

    /// `Ctrl-a`: mark the articles in view read; over more than one feed, ask first.
    pub(super) fn mark_view_read(&mut self) -> Vec<Effect> {
        let unread: Vec<ArticleKey> = self.unread_in_view();
        let mut feeds: Vec<FeedId> = unread.iter().map(|k| k.feed).collect();
        feeds.sort();
        feeds.dedup();
        if feeds.len() > 1 {
            self.finding.prompt = Some(Prompt::new(
                PromptKind::ConfirmMarkRead {
                    count: unread.len(),
                    feeds: feeds.len(),
                },
                String::new(),
            ));
            return Vec::new();
        }
        self.mark_view_read_now()
    }

    /// Mark the articles in view read now, as one undo step.
    pub(super) fn mark_view_read_now(&mut self) -> Vec<Effect> {
        let keys = self.unread_in_view();
        self.mark_read_undoably(&keys, "marked the view read")
    }

    /// Mark `keys` read as one undo step described by `what`; the status bar says how many changed.
    pub(super) fn mark_read_undoably(&mut self, keys: &[ArticleKey], what: &str) -> Vec<Effect> {
        let before = self.flags_before(keys);
        let changes: Vec<FlagWrite> = self
            .store
            .mark_read(keys)
            .into_iter()
            .filter_map(|key| self.store.flag_write(key))
            .collect();
        self.note(format!("marked {} article(s) read", changes.len()));
        self.record_undo(format!("{what} ({} article(s))", changes.len()), before);
        if changes.is_empty() {
            Vec::new()
        } else {
            vec![Effect::SaveFlags(changes)]
        }
    }

    fn unread_in_view(&self) -> Vec<ArticleKey> {
        self.headlines
            .iter()
            .copied()
            .filter(|&k| self.store.get(k).is_some_and(|a| !a.read))
            .collect()
    }
}
