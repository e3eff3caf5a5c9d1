//! `/` search and the `F` filter: queries that narrow the headlines of the view, typed in the prompt.
//! The view's keys are computed once per view or store change (`base`); each keystroke only re-filters
//! them. `text:` terms go to the cache's full-text index off the UI thread when a cache is in use (the
//! latest request wins; the list keeps the last result until the answer arrives), else they read the
//! bodies in memory.

use super::prompt::{Edit, Prompt, PromptKind};
use super::{App, Effect, FeedEntry, Focus};
use crate::query::{parse, Query, TextHits};
use crate::store::{ArticleKey, View};
use chrono::Utc;
use crossterm::event::KeyEvent;
use std::collections::HashMap;

/// A query in force: as typed, parsed, and the index's answers to its `text:` terms when it has some
/// and a cache is in use.
#[derive(Debug, Clone)]
pub struct ActiveQuery {
    /// The text as the user typed it (shown in the pane title, the status bar and the prompt).
    pub text: String,
    /// The parsed query.
    pub query: Query,
    hits: Option<TextHits>,
}

/// What an index request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Search,
    Filter,
    QueryFeed(usize),
}

/// Search, filter and the prompt that edits them.
#[derive(Debug, Default)]
pub struct Finding {
    /// The search narrowing the headlines (kept after Enter; live while typing).
    pub search: Option<ActiveQuery>,
    /// The filter applied to every view.
    pub filter: Option<ActiveQuery>,
    /// The open prompt, if any; keys go to it first.
    pub prompt: Option<Prompt>,
    /// The search in force when `/` was pressed, restored by Esc.
    search_before: Option<ActiveQuery>,
    /// The view's keys before search and filter, newest first.
    base: Vec<ArticleKey>,
    /// Index requests in flight: generation → what for, and the query waiting for the answer.
    pub(super) requests: HashMap<u64, (Target, ActiveQuery)>,
}

impl Finding {
    /// Drop the index requests in flight for `target`: their answers would be stale.
    fn forget(&mut self, target: Target) {
        self.requests.retain(|_, (t, _)| *t != target);
    }

    /// The keys of the view before search and filter narrow them.
    pub fn view_len(&self) -> usize {
        self.base.len()
    }
}

impl App {
    /// `/`: open the search prompt over the headlines, holding the search in force.
    pub(super) fn start_search(&mut self) -> Vec<Effect> {
        if self.focus == Focus::Article {
            self.reader = None;
        }
        self.focus = Focus::Headlines;
        let text = self.finding.search.as_ref().map(|s| s.text.clone());
        self.finding.search_before = self.finding.search.clone();
        self.finding.prompt = Some(Prompt::new(PromptKind::Search, text.unwrap_or_default()));
        Vec::new()
    }

    /// `F`: open the filter prompt, pre-filled with the filter in force.
    pub(super) fn start_filter(&mut self) -> Vec<Effect> {
        let text = self.finding.filter.as_ref().map(|f| f.text.clone());
        self.finding.prompt = Some(Prompt::new(PromptKind::Filter, text.unwrap_or_default()));
        Vec::new()
    }

    /// A key while the prompt is open.
    pub(super) fn prompt_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        let Some(prompt) = self.finding.prompt.as_mut() else {
            return Vec::new();
        };
        if let PromptKind::ConfirmRemoveFeed { feed, .. } = prompt.kind {
            self.finding.prompt = None;
            return self
                .remove_feed_answered(feed, key.code == crossterm::event::KeyCode::Char('y'));
        }
        if let PromptKind::ConfirmMarkRead { .. } = prompt.kind {
            self.finding.prompt = None;
            return if key.code == crossterm::event::KeyCode::Char('y') {
                self.mark_view_read_now()
            } else {
                self.note("nothing marked".into());
                Vec::new()
            };
        }
        let kind = prompt.kind.clone();
        match (prompt.edit(key), kind) {
            (Edit::Unchanged, _) => Vec::new(),
            (Edit::Changed, PromptKind::Search) => self.search_typed(),
            (Edit::Changed, _) => {
                prompt.error = None;
                Vec::new()
            }
            (Edit::Cancel, PromptKind::Search) => {
                self.finding.prompt = None;
                self.finding.search = self.finding.search_before.take();
                self.finding.forget(Target::Search);
                self.refilter();
                Vec::new()
            }
            (Edit::Cancel, _) => {
                self.finding.prompt = None;
                Vec::new()
            }
            (Edit::Submit, PromptKind::Search) => self.search_submitted(),
            (Edit::Submit, PromptKind::AddFeed) => self.add_feed_submitted(),
            (Edit::Submit, _) => self.filter_submitted(),
        }
    }

    /// The search text changed: narrow the list if it is a valid query, else show the mistake and keep
    /// the last valid result.
    fn search_typed(&mut self) -> Vec<Effect> {
        let Some(prompt) = self.finding.prompt.as_mut() else {
            return Vec::new();
        };
        let text = prompt.input.trim().to_string();
        if text.is_empty() {
            prompt.error = None;
            self.finding.forget(Target::Search);
            self.finding.search = None;
            self.refilter();
            return Vec::new();
        }
        match parse(&text) {
            Err(e) => {
                prompt.error = Some(e);
                Vec::new()
            }
            Ok(query) => {
                prompt.error = None;
                self.apply_query(Target::Search, text, query)
            }
        }
    }

    /// Enter in the search prompt: keep the search (an empty one clears it); a mistake keeps the prompt.
    fn search_submitted(&mut self) -> Vec<Effect> {
        let effects = self.search_typed();
        if self
            .finding
            .prompt
            .as_ref()
            .is_some_and(|p| p.error.is_some())
        {
            return effects;
        }
        self.finding.prompt = None;
        self.finding.search_before = None;
        effects
    }

    /// Enter in the filter prompt: apply it (empty clears it); a mistake keeps the prompt open.
    fn filter_submitted(&mut self) -> Vec<Effect> {
        let Some(prompt) = self.finding.prompt.as_mut() else {
            return Vec::new();
        };
        let text = prompt.input.trim().to_string();
        if text.is_empty() {
            self.finding.prompt = None;
            self.finding.filter = None;
            self.finding.forget(Target::Filter);
            self.note("filter cleared".into());
            self.reload_headlines();
            return Vec::new();
        }
        match parse(&text) {
            Err(e) => {
                prompt.error = Some(e);
                Vec::new()
            }
            Ok(query) => {
                self.finding.prompt = None;
                self.apply_query(Target::Filter, text, query)
            }
        }
    }

    /// Put a query in force for `target`, at once, or once the index has answered its `text:` terms.
    pub(super) fn apply_query(
        &mut self,
        target: Target,
        text: String,
        query: Query,
    ) -> Vec<Effect> {
        let active = ActiveQuery {
            text,
            query,
            hits: None,
        };
        if self.cache_in_use && !active.query.text_terms().is_empty() {
            return self.ask_index(target, active);
        }
        self.install(target, active);
        Vec::new()
    }

    /// Ask the index for `active`'s `text:` terms; older requests for the same target are forgotten.
    pub(super) fn ask_index(&mut self, target: Target, active: ActiveQuery) -> Vec<Effect> {
        let generation = self.next_generation();
        self.finding.forget(target);
        let query = active.query.clone();
        self.finding.requests.insert(generation, (target, active));
        vec![Effect::SearchText { generation, query }]
    }

    /// The index answered: put the waiting query in force (stale answers are dropped).
    pub(super) fn on_text_hits(
        &mut self,
        generation: u64,
        result: Result<TextHits, String>,
    ) -> Vec<Effect> {
        let Some((target, mut active)) = self.finding.requests.remove(&generation) else {
            return Vec::new();
        };
        match result {
            Ok(hits) => {
                active.hits = Some(hits);
                self.install(target, active);
            }
            Err(message) => self.note_error(format!("search failed: {message}")),
        }
        Vec::new()
    }

    fn install(&mut self, target: Target, active: ActiveQuery) {
        match target {
            Target::Search => {
                self.finding.search = Some(active);
                self.refilter();
            }
            Target::Filter => {
                // The status bar shows the filter itself while it applies.
                self.finding.filter = Some(active);
                self.reload_headlines();
            }
            Target::QueryFeed(i) => {
                if let Some(feed) = self.query_feeds.get_mut(i) {
                    feed.hits = active.hits.unwrap_or_default();
                }
                self.recount_query_feeds();
                if self.selected_entry() == Some(&FeedEntry::Query(i)) {
                    self.reload_headlines();
                }
            }
        }
    }

    /// Esc in the list: clear a kept search; false when there was none (Esc then goes back).
    pub(super) fn clear_search(&mut self) -> bool {
        if self.finding.search.is_none() {
            return false;
        }
        self.finding.search = None;
        self.finding.forget(Target::Search);
        self.refilter();
        true
    }

    /// Ask the index again for every query in force with `text:` terms (new articles arrived).
    pub(super) fn resolve_text_again(&mut self) -> Vec<Effect> {
        if !self.cache_in_use {
            return Vec::new();
        }
        let mut effects = Vec::new();
        let mut wanted: Vec<(Target, ActiveQuery)> = Vec::new();
        for (target, active) in [
            (Target::Search, &self.finding.search),
            (Target::Filter, &self.finding.filter),
        ] {
            if let Some(a) = active.as_ref().filter(|a| !a.query.text_terms().is_empty()) {
                wanted.push((target, a.clone()));
            }
        }
        for (i, feed) in self.query_feeds.iter().enumerate() {
            if !feed.query.text_terms().is_empty() {
                let active = ActiveQuery {
                    text: feed.name.clone(),
                    query: feed.query.clone(),
                    hits: None,
                };
                wanted.push((Target::QueryFeed(i), active));
            }
        }
        for (target, active) in wanted {
            effects.extend(self.ask_index(target, active));
        }
        effects
    }

    /// The keys of the selected entry before search and filter (a query feed: the matching articles).
    pub(super) fn view_keys(&self) -> Vec<ArticleKey> {
        match self.selected_entry() {
            Some(FeedEntry::Query(i)) => match self.query_feeds.get(*i) {
                Some(feed) => {
                    let all = self.store.query(&View::All, self.unread_only);
                    self.store
                        .filter(&all, &feed.query, feed.hits(self.cache_in_use), Utc::now())
                }
                None => Vec::new(),
            },
            _ => self.store.query(&self.current_view(), self.unread_only),
        }
    }

    /// Recompute the view's keys, then narrow them.
    pub(super) fn compute_headlines(&mut self) {
        self.finding.base = self.view_keys();
        self.headlines = self.narrowed();
    }

    /// The view's keys narrowed by the filter and the search.
    fn narrowed(&self) -> Vec<ArticleKey> {
        let now = Utc::now();
        let active: Vec<&ActiveQuery> = [&self.finding.filter, &self.finding.search]
            .into_iter()
            .flatten()
            .collect();
        if active.is_empty() {
            return self.finding.base.clone();
        }
        self.finding
            .base
            .iter()
            .copied()
            .filter(|&key| {
                active
                    .iter()
                    .all(|a| self.store.matches(key, &a.query, a.hits.as_ref(), now))
            })
            .collect()
    }

    /// Re-narrow the view's keys (a keystroke of the search), keeping the selected article when listed.
    fn refilter(&mut self) {
        let selected = self.selected_id();
        let at_top = self.headlines_cursor.selected == 0;
        self.headlines = self.narrowed();
        self.reselect(selected, at_top, 0);
    }
}
