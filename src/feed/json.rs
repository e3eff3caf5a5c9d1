//! JSON Feed made safe for feed-rs's strict types: a field of the wrong JSON type is coerced (a number
//! where a string belongs becomes that string, one object where an array belongs becomes a list of one)
//! or dropped alone; an item that is not an object is skipped and counted, never the whole feed.

use serde_json::{Map, Value};

/// Why a JSON document is not a JSON Feed we can read.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    /// Not JSON at all.
    #[error("invalid JSON: {0}")]
    Invalid(String),
    /// JSON, but not a JSON Feed object.
    #[error("not a JSON Feed: {0}")]
    NotJsonFeed(String),
}

/// String fields of the feed object.
const FEED_STRINGS: [&str; 8] = [
    "title",
    "home_page_url",
    "feed_url",
    "language",
    "description",
    "icon",
    "favicon",
    "version",
];
/// String fields of an item.
const ITEM_STRINGS: [&str; 9] = [
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "date_published",
    "date_modified",
];

/// The document as feed-rs can read it, and the number of items dropped.
pub fn prepare(text: &str) -> Result<(String, usize), JsonError> {
    let mut value: Value =
        serde_json::from_str(text).map_err(|e| JsonError::Invalid(e.to_string()))?;
    let Some(feed) = value.as_object_mut() else {
        return Err(JsonError::NotJsonFeed(
            "the document is not a JSON object".into(),
        ));
    };
    let declares_version = feed
        .get("version")
        .and_then(Value::as_str)
        .is_some_and(|v| v.contains("jsonfeed.org"));
    if !declares_version && !feed.contains_key("items") {
        return Err(JsonError::NotJsonFeed("no version or items".into()));
    }
    coerce_strings(feed, &FEED_STRINGS);
    let version_ok = feed
        .get("version")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("https://jsonfeed.org/version/1"));
    if !version_ok {
        feed.insert("version".into(), "https://jsonfeed.org/version/1.1".into());
    }
    feed.entry("title").or_insert_with(|| "".into());
    coerce_authors(feed);
    let mut skipped = 0;
    let items = match feed.remove("items") {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|item| match item {
                Value::Object(mut item) => {
                    coerce_item(&mut item);
                    Some(Value::Object(item))
                }
                _ => {
                    skipped += 1;
                    None
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    feed.insert("items".into(), Value::Array(items));
    let json = serde_json::to_string(&value).map_err(|e| JsonError::Invalid(e.to_string()))?;
    Ok((json, skipped))
}

fn coerce_item(item: &mut Map<String, Value>) {
    coerce_strings(item, &ITEM_STRINGS);
    coerce_authors(item);
    match item.remove("tags") {
        Some(Value::Array(tags)) => {
            let tags: Vec<Value> = tags.into_iter().filter_map(as_string).collect();
            item.insert("tags".into(), Value::Array(tags));
        }
        Some(one) => {
            if let Some(tag) = as_string(one) {
                item.insert("tags".into(), Value::Array(vec![tag]));
            }
        }
        None => {}
    }
    let attachments = match item.remove("attachments") {
        Some(Value::Array(list)) => list,
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    let attachments: Vec<Value> = attachments
        .into_iter()
        .filter_map(|a| match a {
            Value::Object(mut a) => {
                coerce_strings(&mut a, &["url", "mime_type", "title"]);
                a.get("url")?;
                a.entry("mime_type")
                    .or_insert_with(|| "application/octet-stream".into());
                match a.get("size_in_bytes").map(as_u64) {
                    Some(Some(n)) => {
                        a.insert("size_in_bytes".into(), n.into());
                    }
                    Some(None) => {
                        a.remove("size_in_bytes");
                    }
                    None => {}
                }
                Some(Value::Object(a))
            }
            _ => None,
        })
        .collect();
    if !attachments.is_empty() {
        item.insert("attachments".into(), Value::Array(attachments));
    }
}

/// `author` must be an object, `authors` an array of objects, their fields strings.
fn coerce_authors(object: &mut Map<String, Value>) {
    let fix = |v: Value| match v {
        Value::Object(mut person) => {
            coerce_strings(&mut person, &["name", "url", "avatar"]);
            Some(Value::Object(person))
        }
        Value::String(name) => Some(serde_json::json!({ "name": name })),
        _ => None,
    };
    if let Some(author) = object.remove("author").and_then(fix) {
        object.insert("author".into(), author);
    }
    let authors = match object.remove("authors") {
        Some(Value::Array(list)) => list.into_iter().filter_map(fix).collect(),
        Some(one) => fix(one).into_iter().collect(),
        None => return,
    };
    object.insert("authors".into(), Value::Array(authors));
}

/// Each named field: a string stays, a number or boolean becomes its text, anything else goes.
fn coerce_strings(object: &mut Map<String, Value>, names: &[&str]) {
    for name in names {
        if let Some(value) = object.remove(*name) {
            if let Some(text) = as_string(value) {
                object.insert((*name).to_string(), text);
            }
        }
    }
}

fn as_string(value: Value) -> Option<Value> {
    match value {
        Value::String(_) => Some(value),
        Value::Number(n) => Some(Value::String(n.to_string())),
        Value::Bool(b) => Some(Value::String(b.to_string())),
        _ => None,
    }
}

fn as_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_are_coerced_or_dropped_alone() {
        let doc = r#"{"version":"https://jsonfeed.org/version/1.1","title":["x"],"items":[
            {"id":7,"title":12,"tags":"one","author":"Jo","attachments":{"url":"http://a/b.mp3","size_in_bytes":"12"}},
            "not an item",{"id":"b","url":{"x":1},"content_text":true}]}"#;
        let (json, skipped) = prepare(doc).expect("a feed");
        assert_eq!(skipped, 1);
        let v: Value = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(v["title"], "");
        assert_eq!(v["items"][0]["id"], "7");
        assert_eq!(v["items"][0]["title"], "12");
        assert_eq!(v["items"][0]["tags"], serde_json::json!(["one"]));
        assert_eq!(v["items"][0]["author"]["name"], "Jo");
        assert_eq!(v["items"][0]["attachments"][0]["size_in_bytes"], 12);
        assert_eq!(v["items"][1].get("url"), None);
        assert_eq!(v["items"][1]["content_text"], "true");
    }

    #[test]
    fn not_feeds() {
        assert!(matches!(prepare("[1,2]"), Err(JsonError::NotJsonFeed(_))));
        assert!(matches!(
            prepare("{\"a\":1}"),
            Err(JsonError::NotJsonFeed(_))
        ));
        assert!(matches!(prepare("{"), Err(JsonError::Invalid(_))));
        let (json, _) =
            prepare(r#"{"version":"https://jsonfeed.org/version/1","items":{"id":"x"}}"#)
                .expect("items of the wrong type are dropped, not the feed");
        assert!(json.contains("\"items\":[]"));
    }
}
