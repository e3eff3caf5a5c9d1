//! The parse bench corpus, shared by `benches/parse.rs` and `examples/parse_ratio.rs`: the team's
//! generator's output when `TIDINGS_BENCH_FEEDS` names its directory, else a built-in corpus of the
//! same shape (RSS 2.0 with content:encoded, dc:creator and slash:comments; Atom with HTML content).

/// Feed documents to parse, from the generator's directory or built here.
pub fn corpus() -> Vec<Vec<u8>> {
    if let Some(dir) = std::env::var_os("TIDINGS_BENCH_FEEDS") {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("xml" | "atom" | "json")
            )
        });
        files.sort();
        let docs: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
        if !docs.is_empty() {
            return docs;
        }
    }
    (0..30)
        .map(|i| {
            if i % 2 == 0 {
                rss(i).into_bytes()
            } else {
                atom(i).into_bytes()
            }
        })
        .collect()
}

const WORDS: [&str; 16] = [
    "summit",
    "economy",
    "market",
    "café",
    "policy",
    "naïve",
    "treaty",
    "river",
    "ελλάδα",
    "vote",
    "北京",
    "harvest",
    "budget",
    "council",
    "storm",
    "network",
];

fn words(seed: usize, n: usize) -> String {
    (0..n)
        .map(|k| WORDS[(seed * 7 + k * 13) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn body(seed: usize) -> String {
    (0..5)
        .map(|p| {
            format!(
                "<p>{} <a href=\"https://news.example.org/{p}\">{}</a> {}.</p>\n",
                words(seed + p, 40),
                words(seed, 2),
                words(seed * 3 + p, 30)
            )
        })
        .collect()
}

fn rss(feed: usize) -> String {
    let mut doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:slash=\"http://purl.org/rss/1.0/modules/slash/\">\n<channel><title>Bench {feed}</title>\
         <link>https://news.example.org/{feed}</link><description>bench</description>\n"
    );
    for i in 0..50 {
        doc.push_str(&format!(
            "<item><title>{}</title><link>https://news.example.org/{feed}/{i}</link>\
             <guid isPermaLink=\"false\">urn:bench:{feed}:{i}</guid>\
             <pubDate>Tue, 24 Nov 2026 11:59:00 +0000</pubDate><dc:creator>Anna Petrenko</dc:creator>\
             <category>policy</category><description>{}</description>\
             <content:encoded><![CDATA[{}]]></content:encoded><slash:comments>{i}</slash:comments></item>\n",
            words(i, 8),
            words(i + feed, 30),
            body(i + feed)
        ));
    }
    doc.push_str("</channel></rss>\n");
    doc
}

fn atom(feed: usize) -> String {
    let mut doc = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>Bench {feed}</title><id>urn:bench:feed:{feed}</id>\
         <link href=\"https://news.example.org/{feed}\"/><updated>2026-11-24T11:42:00+00:00</updated>\n"
    );
    for i in 0..50 {
        let escaped = body(i * 2 + feed)
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        doc.push_str(&format!(
            "<entry><title>{}</title><id>urn:bench:{feed}:{i}</id>\
             <link href=\"https://news.example.org/{feed}/{i}\"/><updated>2026-11-24T11:42:00+00:00</updated>\
             <author><name>Anna Petrenko</name></author><category term=\"council\"/>\
             <summary>{}</summary><content type=\"html\">{escaped}</content></entry>\n",
            words(i, 8),
            words(i + feed, 30)
        ));
    }
    doc.push_str("</feed>\n");
    doc
}
