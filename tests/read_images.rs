//! `tidings read --json` lists the article's pictures (URL and alt); `--plain` and the JSON `text`
//! stay text only (the extraction benchmark reads them).

use std::process::Command;

#[test]
fn read_json_lists_images_and_text_stays_text() {
    let para = "<p>The committee published its long awaited report on the river works today, and \
                the findings are striking for everyone who lives along the banks of it.</p>"
        .repeat(4);
    let html = format!(
        "<html><head><title>River report</title></head><body><article><h1>River report</h1>\
         {para}<img src=\"/pics/map.png\" alt=\"A map of the works\">{para}\
         <img src=\"https://example.org/pics/dam.jpg\" alt=\"\">{para}</article></body></html>"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("river.html");
    std::fs::write(&page, html).expect("write page");
    let out = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(["--no-cache", "read", "--json"])
        .arg(&page)
        .output()
        .expect("run tidings");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let images = json["images"].as_array().expect("an images list");
    assert_eq!(
        images.last(),
        Some(&serde_json::json!({"url": "https://example.org/pics/dam.jpg", "alt": ""}))
    );
    // A relative link in a saved file has nothing to resolve against: listed, without a URL.
    assert_eq!(
        images.first(),
        Some(&serde_json::json!({"url": null, "alt": "A map of the works"})),
        "{images:?}"
    );
    let text = json["text"].as_str().expect("text");
    assert!(!text.contains("[image"), "{text}");
}
