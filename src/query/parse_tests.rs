use super::*;
use crate::query::ast::Cmp;

fn p(text: &str) -> Query {
    parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn err(text: &str) -> QueryError {
    match parse(text) {
        Ok(q) => panic!("{text} parsed as {q:?}"),
        Err(e) => e,
    }
}

fn at(text: &str) -> (usize, usize, String) {
    let e = err(text);
    (e.line(), e.column(), e.message())
}

fn bare(w: &str) -> Query {
    Query::Term(Term::Bare(Needle::new(w)))
}

fn contains(field: Field, w: &str) -> Query {
    Query::Term(Term::Contains(field, Needle::new(w)))
}

fn not(q: Query) -> Query {
    Query::Not(Box::new(q))
}

#[test]
fn flags_in_any_case() {
    assert_eq!(p("unread"), Query::Term(Term::Unread));
    assert_eq!(p("READ"), Query::Term(Term::Read));
    assert_eq!(p("Starred"), Query::Term(Term::Starred));
}

#[test]
fn every_text_field_with_colon_and_tilde() {
    for field in Field::ALL {
        assert_eq!(p(&format!("{}:Foo", field.name())), contains(field, "Foo"));
        let q = p(&format!("{}~^fo+$", field.name().to_uppercase()));
        assert!(
            matches!(q, Query::Term(Term::Matches(f, ref pat)) if f == field && pat.as_str() == "^fo+$")
        );
    }
}

#[test]
fn quoted_values_hold_spaces_parentheses_and_keywords() {
    assert_eq!(p("title:\"and\""), contains(Field::Title, "and"));
    assert_eq!(
        p("title:\"a (b) or c\""),
        contains(Field::Title, "a (b) or c")
    );
    let q = p("title~\"(a|b) c\"");
    assert!(matches!(q, Query::Term(Term::Matches(_, ref pat)) if pat.as_str() == "(a|b) c"));
    assert_eq!(p("\"or\""), bare("or"));
    assert_eq!(p("\"two words\""), bare("two words"));
}

#[test]
fn text_terms_word_prefix_and_phrase() {
    let text = |words: &[&str], prefix| {
        let words = words.iter().map(|w| w.to_string()).collect();
        Query::Term(Term::Text(TextTerm::new(words, prefix).unwrap()))
    };
    assert_eq!(p("text:Rust"), text(&["rust"], false));
    assert_eq!(p("text:treat*"), text(&["treat"], true));
    assert_eq!(p("text:\"Two  words\""), text(&["two", "words"], false));
    assert_eq!(p("text:\"two wor*\""), text(&["two", "wor"], true));
    assert!(err("text:two-words").message().contains("one word"));
    assert!(err("text:\"--\"").message().contains("a word"));
    assert!(err("text~x").message().contains("'text' takes ':'"));
}

#[test]
fn dates_ages_and_counts() {
    let day = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
    assert_eq!(p("after:2026-02-28"), Query::Term(Term::After(day)));
    assert_eq!(p("before:2026-02-28"), Query::Term(Term::Before(day)));
    let age = |amount, unit| Age { amount, unit };
    assert_eq!(
        p("age<7d"),
        Query::Term(Term::Age(Cmp::Lt, age(7, AgeUnit::Days)))
    );
    assert_eq!(
        p("age > 12h"),
        Query::Term(Term::Age(Cmp::Gt, age(12, AgeUnit::Hours)))
    );
    assert_eq!(
        p("AGE<=30m"),
        Query::Term(Term::Age(Cmp::Le, age(30, AgeUnit::Minutes)))
    );
    assert_eq!(
        p("age>=2w"),
        Query::Term(Term::Age(Cmp::Ge, age(2, AgeUnit::Weeks)))
    );
    assert_eq!(p("words>1000"), Query::Term(Term::Words(Cmp::Gt, 1000)));
    assert_eq!(p("words = 5"), Query::Term(Term::Words(Cmp::Eq, 5)));
    assert_eq!(p("comments >=10"), Query::Term(Term::Comments(Cmp::Ge, 10)));
}

#[test]
fn bad_values_point_at_the_value() {
    assert_eq!(at("after:2026-02-30").1, 7);
    assert!(at("after:2026-02-30").2.contains("a date that exists"));
    assert!(at("before:26-1-1").2.contains("YYYY-MM-DD"));
    assert_eq!(at("unread age<7y").1, 12);
    assert_eq!(at("words > lots").1, 9);
    assert!(at("comments>99999999999999999999").2.contains("fits"));
    assert!(at("age:7d").2.contains("comparison"));
    assert!(at("title>3").2.contains("':' (contains)"));
}

#[test]
fn and_by_keyword_or_juxtaposition() {
    let both = Query::All(vec![bare("a"), bare("b")]);
    assert_eq!(p("a and b"), both);
    assert_eq!(p("a AND b"), both);
    assert_eq!(p("a b"), both);
    assert_eq!(
        p("a b c"),
        Query::All(vec![bare("a"), bare("b"), bare("c")])
    );
}

#[test]
fn not_and_minus_also_before_parentheses() {
    assert_eq!(p("not a"), not(bare("a")));
    assert_eq!(p("NoT a"), not(bare("a")));
    assert_eq!(p("-a"), not(bare("a")));
    let group = Query::Any(vec![bare("a"), bare("b")]);
    assert_eq!(p("-(a or b)"), not(group.clone()));
    assert_eq!(p("not (a or b)"), not(group));
    assert_eq!(p("not not a"), not(not(bare("a"))));
    assert_eq!(p("-title:x"), not(contains(Field::Title, "x")));
}

#[test]
fn precedence_not_then_and_then_or() {
    // a or b and not c  ==  a or (b and (not c))
    assert_eq!(
        p("a or b and not c"),
        Query::Any(vec![bare("a"), Query::All(vec![bare("b"), not(bare("c"))])])
    );
    // not a and b  ==  (not a) and b
    assert_eq!(
        p("not a and b"),
        Query::All(vec![not(bare("a")), bare("b")])
    );
    // a b or c  ==  (a and b) or c
    assert_eq!(
        p("a b or c"),
        Query::Any(vec![Query::All(vec![bare("a"), bare("b")]), bare("c")])
    );
    // parentheses override
    assert_eq!(
        p("a (b or c)"),
        Query::All(vec![bare("a"), Query::Any(vec![bare("b"), bare("c")])])
    );
}

#[test]
fn the_issue_example_error() {
    let e = err("tag:world and (");
    assert_eq!(
        e.to_string(),
        "query:1:16: expected ')' after 'tag:world and ('"
    );
}

#[test]
fn missing_tokens_point_at_the_end() {
    assert_eq!(at("a and").1, 6);
    assert_eq!(at("a and").2, "expected a term after 'a and'");
    assert_eq!(at("(a or b").1, 8);
    assert_eq!(at("(a or b").2, "expected ')' after '(a or b'");
    assert_eq!(at("-").2, "expected a term after '-'");
    assert_eq!(at("title:").1, 7);
    assert_eq!(at("title:").2, "expected a value after 'title:'");
    assert_eq!(at("a \"unclosed").1, 12);
    assert!(at("").2.contains("an empty query"));
    assert!(at("   ").2.contains("an empty query"));
}

#[test]
fn offending_tokens_are_pointed_at() {
    assert_eq!(
        at("a or or b"),
        (1, 6, "expected a term, found 'or'".into())
    );
    assert_eq!(at("and a").1, 1);
    assert_eq!(at("a )").1, 3);
    assert!(at("a )").2.contains("found ')'"));
    assert_eq!(at("(a b c"), (1, 7, "expected ')' after '(a b c'".into()));
    assert_eq!(at("a or ()").1, 7);
    assert_eq!(at("unread foo:bar").1, 8);
    assert!(at("unread foo:bar").2.contains("unknown field 'foo'"));
    assert_eq!(at("a\n  and or").0, 2);
    assert_eq!(at("a\n  and or").1, 7);
}

#[test]
fn regexes_are_bounded() {
    let unclosed = at("title~\"(\"").2;
    assert!(
        unclosed.starts_with("bad regular expression: unclosed group"),
        "{unclosed}"
    );
    assert_eq!(at("title~(").2, "expected a value after 'title~'");
    assert_eq!(at("x title~\"a[\"").1, 9);
    let huge = at("title~\\w{1000}{1000}");
    assert!(huge.2.contains("too large"), "{}", huge.2);
    let long = format!("title~{}", "a".repeat(MAX_REGEX_LEN + 1));
    assert!(at(&long).2.contains("longer than"));
    let many = vec!["title~a"; MAX_REGEXES + 1].join(" ");
    assert!(at(&many).2.contains("too complex"));
}

#[test]
fn nesting_is_bounded() {
    let deep = format!(
        "{}a{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    assert!(at(&deep).2.contains("too complex"));
    let ok = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(p(&ok), bare("a"));
    let nots = "not ".repeat(MAX_DEPTH + 1) + "a";
    assert!(at(&nots).2.contains("too complex"));
}

#[test]
fn long_queries_are_quoted_by_their_tail() {
    let q = format!("{} and", "word ".repeat(20));
    let message = at(&q).2;
    assert!(message.starts_with("expected a term after '…"), "{message}");
    assert!(message.chars().count() < 80, "{message}");
}

#[test]
fn error_can_move_into_a_file() {
    let e = err("tag:world and (").in_file("feeds.toml", 7, 9);
    assert_eq!(
        e.to_string(),
        "feeds.toml:7:24: expected ')' after 'tag:world and ('"
    );
}
