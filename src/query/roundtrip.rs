//! Property: printing any query and parsing the text gives the same query back.

use super::*;
use chrono::NaiveDate;
use proptest::prelude::*;

/// Values with the characters that need care: spaces, parentheses, quotes, backslashes, keywords,
/// colons, comparison signs, a leading minus, non-ASCII.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{1,8}",
        "[ a-z()\"\\\\:<>=~*-]{1,10}",
        Just("and".to_string()),
        Just("OR".to_string()),
        Just("not".to_string()),
        Just("unread".to_string()),
        Just("-x".to_string()),
        Just("title:x".to_string()),
        Just("age<1d".to_string()),
        "[äöü€ß ]{1,4}",
    ]
    .prop_filter("a value is not empty", |v| !v.is_empty())
}

fn regex_source() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("^a".to_string()),
        Just("(a|b) c".to_string()),
        Just("\\bword\\b".to_string()),
        Just("x\\\\y".to_string()),
        Just("\"quoted\"".to_string()),
        "[a-z]{1,6}",
    ]
}

fn text_term() -> impl Strategy<Value = TextTerm> {
    (prop::collection::vec("[a-z0-9é]{1,6}", 1..4), any::<bool>())
        .prop_filter_map("non-empty words", |(words, prefix)| {
            TextTerm::new(words, prefix)
        })
}

fn cmp() -> impl Strategy<Value = Cmp> {
    prop::sample::select(Cmp::ALL.to_vec())
}

fn field() -> impl Strategy<Value = Field> {
    prop::sample::select(Field::ALL.to_vec())
}

fn day() -> impl Strategy<Value = NaiveDate> {
    (1970i32..2100, 1u32..=12, 1u32..=28)
        .prop_filter_map("a real day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

fn term() -> impl Strategy<Value = Term> {
    let unit = prop::sample::select(vec![
        AgeUnit::Minutes,
        AgeUnit::Hours,
        AgeUnit::Days,
        AgeUnit::Weeks,
    ]);
    prop_oneof![
        Just(Term::Unread),
        Just(Term::Read),
        Just(Term::Starred),
        (field(), value()).prop_map(|(f, v)| Term::Contains(f, Needle::new(&v))),
        (field(), regex_source()).prop_filter_map("compiles", |(f, src)| {
            let regex = parse::compile_regex(&src).ok()?;
            Some(Term::Matches(f, Pattern::new(src, regex)))
        }),
        text_term().prop_map(Term::Text),
        value().prop_map(|v| Term::Bare(Needle::new(&v))),
        day().prop_map(Term::After),
        day().prop_map(Term::Before),
        (cmp(), 0u32..100_000, unit)
            .prop_map(|(c, amount, unit)| Term::Age(c, Age { amount, unit })),
        (cmp(), any::<u64>()).prop_map(|(c, n)| Term::Words(c, n)),
        (cmp(), any::<u64>()).prop_map(|(c, n)| Term::Comments(c, n)),
    ]
}

/// Trees as the parser builds them: `All`/`Any` with two or more operands.
fn query() -> impl Strategy<Value = Query> {
    let leaf = term().prop_map(Query::Term);
    leaf.prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|q| Query::Not(Box::new(q))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Query::All),
            prop::collection::vec(inner, 2..4).prop_map(Query::Any),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn print_then_parse_is_identity(q in query()) {
        let printed = q.to_string();
        let parsed = parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed}: {e}")))?;
        prop_assert_eq!(&parsed, &q, "printed as {}", printed);
        prop_assert_eq!(parsed.to_string(), printed);
    }

    #[test]
    fn parse_never_panics_and_errors_point_inside(text in "[ a-z():~<>=\"*\\\\-]{0,30}") {
        if let Err(e) = parse(&text) {
            prop_assert_eq!(e.line(), 1);
            prop_assert!(e.column() >= 1 && e.column() <= text.chars().count() + 1, "{}", e);
        }
    }
}

#[test]
fn canonical_form_examples() {
    let cases = [
        ("UNREAD  AND  Tag:World", "unread and tag:World"),
        ("-(a OR b) c", "not (a or b) and c"),
        ("a or (b or c)", "a or (b or c)"),
        ("words >= 1000", "words>=1000"),
        ("title:\"a b\" \"and\"", "title:\"a b\" and \"and\""),
        (
            "text:\"Two Words\" text:Treat*",
            "text:\"two words\" and text:treat*",
        ),
        ("age < 7d", "age<7d"),
    ];
    for (input, canonical) in cases {
        assert_eq!(parse(input).unwrap().to_string(), canonical, "{input}");
    }
}
