//! Issue 12 in the TUI: `/` search as you type, the `F` filter, a query feed's row and counts, and
//! undo of read/star changes, driven through `App::update` and drawn into a TestBackend.

mod builders;

use builders::*;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use tidings::app::{App, Effect, Focus, Msg};
use tidings::config::{QueryFeedConfig, Settings};
use tidings::query::{ArticleSet, TextHits};
use tidings::store::Store;

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    })
}

fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| app.update(ch(c))).collect()
}

fn titles(app: &App) -> Vec<String> {
    app.headlines
        .iter()
        .map(|k| app.store.get(*k).unwrap().title.clone())
        .collect()
}

fn screen(app: &App) -> String {
    render(app).join("\n")
}

/// `sample_app` in the headlines pane of "All articles" (5 articles).
fn in_headlines() -> App {
    let mut app = sample_app(100, 30);
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus, Focus::Headlines);
    assert_eq!(app.headlines.len(), 5);
    app
}

#[test]
fn search_narrows_as_you_type_and_keeps_the_last_valid_result() {
    let mut app = in_headlines();
    app.update(ch('/'));
    type_text(&mut app, "ru");
    assert_eq!(titles(&app), ["Rust 2.0 announced"]);
    let text = screen(&app);
    assert!(
        text.contains("/ru — 1 of 5"),
        "title shows query and matches: {text}"
    );
    // Half-typed and invalid: the last valid result stays, the mistake is shown under the prompt.
    type_text(&mut app, "st or (");
    assert_eq!(titles(&app), ["Rust 2.0 announced"]);
    let text = screen(&app);
    assert!(text.contains("/rust or ("), "{text}");
    assert!(text.contains("^ expected ')' after 'rust or ('"), "{text}");
    // Completed: valid again.
    type_text(&mut app, "budget)");
    assert_eq!(
        titles(&app),
        ["Rust 2.0 announced", "Parliament passes the budget"]
    );
    // Enter keeps it; the prompt closes.
    app.update(key(KeyCode::Enter));
    assert!(app.finding.prompt.is_none());
    assert_eq!(app.headlines.len(), 2);
    assert!(screen(&app).contains("/rust or (budget) — 2 of 5"));
    // Esc in the list clears it first, then goes back.
    app.update(key(KeyCode::Esc));
    assert_eq!(app.headlines.len(), 5);
    assert_eq!(app.focus, Focus::Headlines);
    app.update(key(KeyCode::Esc));
    assert_eq!(app.focus, Focus::Feeds);
}

#[test]
fn esc_while_typing_cancels_and_an_empty_enter_clears() {
    let mut app = in_headlines();
    app.update(ch('/'));
    type_text(&mut app, "floods");
    app.update(key(KeyCode::Enter));
    assert_eq!(titles(&app), ["Floods recede in the north"]);
    // A new search, abandoned with Esc: the kept one comes back.
    app.update(ch('/'));
    type_text(&mut app, " or chip");
    assert_eq!(app.headlines.len(), 2);
    app.update(key(KeyCode::Esc));
    assert_eq!(titles(&app), ["Floods recede in the north"]);
    // `/` and an empty Enter clears it.
    app.update(ch('/'));
    app.update(ctrl('u'));
    app.update(key(KeyCode::Enter));
    assert!(app.finding.search.is_none());
    assert_eq!(app.headlines.len(), 5);
    // Keys typed into the prompt are text, not commands.
    app.update(ch('/'));
    type_text(&mut app, "q");
    assert!(!app.should_quit);
}

#[test]
fn filter_applies_on_enter_prefills_and_shows_in_the_status_bar() {
    let mut app = in_headlines();
    app.update(ch('F'));
    type_text(&mut app, "tag:world");
    assert_eq!(app.headlines.len(), 5, "a filter applies on Enter only");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.headlines.len(), 3);
    let text = screen(&app);
    assert!(text.contains("filter: tag:world"), "{text}");
    // It applies to every view: Tech Daily shows nothing.
    app.update(key(KeyCode::Tab));
    for _ in 0..5 {
        app.update(ch('j'));
    }
    assert!(app.headlines.is_empty(), "{:?}", titles(&app));
    // Pre-filled; a mistake keeps the prompt open and the filter as it was.
    app.update(ch('F'));
    assert!(screen(&app).contains("filter: tag:world"));
    type_text(&mut app, " and (");
    app.update(key(KeyCode::Enter));
    let prompt = app.finding.prompt.as_ref().expect("still open");
    assert!(prompt.error.is_some());
    // Esc leaves the filter as it was.
    app.update(key(KeyCode::Esc));
    assert_eq!(app.finding.filter.as_ref().unwrap().text, "tag:world");
    // An empty Enter clears it.
    app.update(ch('F'));
    app.update(ctrl('u'));
    app.update(key(KeyCode::Enter));
    assert!(app.finding.filter.is_none());
    assert_eq!(app.headlines.len(), 2);
    assert!(!screen(&app).contains("filter: tag:world"));
}

fn app_with_query_feed() -> App {
    let store = Store::new(vec![
        feed(0, "World News", &["world"]),
        feed(1, "Tech Daily", &["tech"]),
    ]);
    let queries = [QueryFeedConfig {
        name: "World or Rust".into(),
        query: "tag:world or title:rust".parse().unwrap(),
    }];
    let mut app = App::new(store, Settings::default()).with_query_feeds(&queries);
    app.update(Msg::Resize {
        width: 100,
        height: 30,
    });
    app.update(loaded(0, sample_articles(0)));
    app.update(loaded(1, sample_articles(1)));
    app
}

#[test]
fn a_query_feed_row_follows_refreshes_and_marks() {
    let mut app = app_with_query_feed();
    let rows = render(&app);
    // Third row of the feeds pane, after All articles and Starred, before tags and feeds.
    assert!(
        rows[3].contains("⌕ World or Rust") && rows[3].contains("4/4"),
        "{rows:#?}"
    );
    assert!(rows[4].contains("#world"), "{rows:#?}");
    // Open it: its articles from both feeds.
    app.update(ch('j'));
    app.update(ch('j'));
    app.update(key(KeyCode::Enter));
    assert_eq!(app.headlines.len(), 4);
    assert!(screen(&app).contains("⌕ World or Rust — 4"));
    // A mark changes the count.
    app.update(ch('m'));
    assert!(render(&app)[3].contains("3/4"), "{:#?}", render(&app));
    // A refresh with a new matching article too.
    let mut more = sample_articles(1);
    more.push(article(1, "t3", "Rust in the kernel", 6));
    app.update(loaded(1, more));
    assert!(render(&app)[3].contains("4/5"));
    // `A` on the row marks its articles read, one undo step.
    app.update(key(KeyCode::Tab));
    let effects = app.update(ch('A'));
    assert!(matches!(&effects[..], [Effect::SaveFlags(w)] if w.len() == 4));
    assert!(render(&app)[3].contains("0/5"));
    assert_eq!(
        app.store.total_counts().unread,
        1,
        "only the non-matching chip article"
    );
    app.update(ch('U'));
    assert!(render(&app)[3].contains("4/5"));
}

#[test]
fn undo_steps_back_through_key_changes_only() {
    let mut app = in_headlines();
    // Opening marks read without an undo step.
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Esc));
    assert_eq!(app.store.total_counts().unread, 4);
    app.update(ch('U'));
    assert!(app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("nothing to undo"));
    assert_eq!(app.store.total_counts().unread, 4);

    app.update(ch('j'));
    app.update(ch('m'));
    app.update(ch('s'));
    assert_eq!(app.store.total_counts().unread, 3);
    assert_eq!(app.store.starred_counts().total, 1);
    let effects = app.update(ch('U'));
    assert!(matches!(&effects[..], [Effect::SaveFlags(w)] if w.len() == 1 && !w[0].starred));
    assert_eq!(app.store.starred_counts().total, 0);
    assert!(screen(&app).contains("undone: starred"));
    let effects = app.update(ch('U'));
    assert!(matches!(&effects[..], [Effect::SaveFlags(w)] if w.len() == 1 && !w[0].read));
    assert_eq!(app.store.total_counts().unread, 4);
    assert!(screen(&app).contains("undone: marked read"));
}

#[test]
fn ctrl_a_asks_across_feeds_and_undoes_in_one_step() {
    let mut app = in_headlines();
    app.update(ctrl('a'));
    let text = screen(&app);
    assert!(
        text.contains("mark 5 article(s) in 2 feeds read? (y/n)"),
        "{text}"
    );
    // Any other key cancels.
    assert!(app.update(ch('n')).is_empty());
    assert_eq!(app.store.total_counts().unread, 5);
    app.update(ctrl('a'));
    let effects = app.update(ch('y'));
    assert!(matches!(&effects[..], [Effect::SaveFlags(w)] if w.len() == 5));
    assert_eq!(app.store.total_counts().unread, 0);
    let effects = app.update(ch('U'));
    assert!(
        matches!(&effects[..], [Effect::SaveFlags(w)] if w.len() == 5 && w.iter().all(|f| !f.read))
    );
    assert_eq!(app.store.total_counts().unread, 5);
    // Within one feed (a search narrows the view to it), no question.
    app.update(ch('/'));
    type_text(&mut app, "feed:tech");
    app.update(key(KeyCode::Enter));
    let effects = app.update(ctrl('a'));
    assert!(matches!(&effects[..], [Effect::SaveFlags(w)] if w.len() == 2));
}

#[test]
fn text_search_with_a_cache_asks_the_index_and_the_latest_answer_wins() {
    let mut app = sample_app_with_cache(100, 30, true);
    app.update(key(KeyCode::Tab));
    app.update(ch('/'));
    let first = type_text(&mut app, "text:batt");
    let second = type_text(&mut app, "ery");
    let generation_of = |effects: &[Effect]| match effects.last() {
        Some(Effect::SearchText { generation, query }) => (*generation, query.clone()),
        other => panic!("expected a SearchText effect, got {other:?}"),
    };
    let (old, _) = generation_of(&first);
    let shown = titles(&app);
    let (latest, query) = generation_of(&second);
    assert_eq!(query.to_string(), "text:battery");
    // Until the index answers, the list stays as it was (bare "text" narrowed it on the way).
    assert_eq!(titles(&app), shown);
    let mut set = ArticleSet::default();
    set.insert(
        app.store
            .feed(tidings::model::FeedId(1))
            .unwrap()
            .url
            .clone(),
        "t1".into(),
    );
    let mut hits = TextHits::default();
    hits.insert(query.text_terms()[0].clone(), set);
    // A stale answer is dropped.
    app.update(Msg::TextHits {
        generation: old,
        result: Ok(TextHits::default()),
    });
    assert_eq!(titles(&app), shown);
    app.update(Msg::TextHits {
        generation: latest,
        result: Ok(hits),
    });
    assert_eq!(titles(&app), ["New chip doubles battery life"]);
}

#[test]
fn a_text_search_is_asked_again_once_per_refresh_not_per_feed() {
    let mut app = sample_app_with_cache(100, 30, true);
    app.update(key(KeyCode::Tab));
    app.update(ch('/'));
    let typed = type_text(&mut app, "text:battery");
    // The index answers, and Enter keeps the search in force.
    let Some(Effect::SearchText { generation, .. }) = typed.last() else {
        panic!("expected a SearchText effect, got {typed:?}");
    };
    app.update(Msg::TextHits {
        generation: *generation,
        result: Ok(TextHits::default()),
    });
    app.update(key(KeyCode::Enter));
    assert_eq!(
        app.finding.search.as_ref().map(|a| a.query.to_string()),
        Some("text:battery".to_string())
    );
    let asks = |effects: &[Effect]| {
        effects
            .iter()
            .filter(|e| matches!(e, Effect::SearchText { .. }))
            .count()
    };
    let effects = app.update(ch('R'));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Refresh(_))),
        "{effects:?}"
    );
    // The first feed arrives: the index is not asked yet (each answer opens it and catches it up).
    let first = app.update(loaded(0, vec![article(0, "w9", "Fresh world story", 9)]));
    assert_eq!(asks(&first), 0);
    // The last one ends the refresh: asked once.
    let last = app.update(loaded(1, vec![article(1, "t9", "Fresh battery story", 9)]));
    assert_eq!(asks(&last), 1);
}
