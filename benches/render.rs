//! Render + wrap: a typical article (a standfirst and a dozen long paragraphs with links) and hostile
//! shapes whose cost must stay linear. The tests check the growth (ratios); absolute times live here.
//! Run: `cargo bench --bench render`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use tidings::text::{render_html, wrap_rendered};

fn typical_article() -> String {
    let mut html =
        String::from("<p><em>A one-paragraph standfirst that sums the story up.</em></p>");
    for i in 0..12 {
        html.push_str(&format!(
            "<p>Paragraph {i} of the story, with <a href=\"https://example.org/{i}\">a link</a> and \
             <strong>some emphasis</strong>. {}</p>",
            "The quick brown fox jumps over the lazy dog. ".repeat(12)
        ));
    }
    html
}

fn render(c: &mut Criterion) {
    let article = typical_article();
    let mut group = c.benchmark_group("render");
    group.bench_function("typical_article_render_and_wrap_80", |b| {
        b.iter(|| wrap_rendered(&render_html(black_box(&article), None), 80))
    });
    let rendered = render_html(&article, None);
    group.bench_function("typical_article_wrap_only_80", |b| {
        b.iter(|| wrap_rendered(black_box(&rendered), 80))
    });
    let deep = format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
    group.sample_size(10);
    group.bench_function("deep_divs_100k", |b| {
        b.iter(|| render_html(black_box(&deep), None))
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
