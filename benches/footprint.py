#!/usr/bin/env python3
"""Wall time and peak RSS of tidings beside newsboat and curl, plus the TUI's, on one loopback corpus.

    python3 benches/footprint.py --bin target/release/tidings [--feeds 500] [--items 50] [--delay-ms 0]

1. Runs the team's ../shared/bench/footprint.py (tidings fetch cold / all-304 / list --json / fetch
   --no-cache; newsboat -x reload / -x print-unread when installed; curl, one at a time and 16 at once)
   and prints its table.
2. Measures the TUI: it is started in tmux under /usr/bin/time -v on a fresh cache (first run) and again
   on that cache (restart), left until every feed has loaded and the refresh is over, then quit with q;
   the peak RSS of each run is printed beside the rest.
"""
import argparse, re, shutil, subprocess, sys, tempfile, time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "bench"


def tmux(*args):
    return subprocess.run(["tmux", *args], capture_output=True, text=True)


def tui_peak(binary, config, cache, socket_name, total):
    """Start the TUI, wait for `total` articles with no refresh running, quit, return (seconds, MB)."""
    out = Path(tempfile.mkstemp(suffix=".time")[1])
    out.unlink()
    cmd = f"/usr/bin/time -v -o {out} {binary} --config {config} --cache {cache}"
    t0 = time.monotonic()
    tmux("-L", socket_name, "new-session", "-d", "-x", "120", "-y", "40", cmd)
    loaded = None
    while time.monotonic() - t0 < 300:
        screen = tmux("-L", socket_name, "capture-pane", "-p").stdout
        if f"{total} articles" in screen and "refreshing" not in screen:
            loaded = time.monotonic() - t0
            break
        time.sleep(0.1)
    time.sleep(1)
    for _ in range(3):
        tmux("-L", socket_name, "send-keys", "q")
        time.sleep(0.2)
    while not out.exists() or "Maximum resident" not in out.read_text():
        if time.monotonic() - t0 > 330:
            tmux("-L", socket_name, "kill-server")
            return None, float("nan")
        time.sleep(0.1)
    tmux("-L", socket_name, "kill-server")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.read_text())
    return loaded, int(m.group(1)) / 1024 if m else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--delay-ms", type=int, default=0)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--port", type=int, default=8799)
    a = ap.parse_args()
    binary = Path(a.bin).resolve()
    subprocess.run([sys.executable, SHARED / "footprint.py", "--bin", binary, "--feeds", str(a.feeds),
                    "--items", str(a.items), "--delay-ms", str(a.delay_ms), "--runs", str(a.runs)],
                   check=False)
    if not shutil.which("tmux"):
        print("(tmux not installed: TUI not measured)")
        return
    work = Path(tempfile.mkdtemp(prefix="tidings-tui-"))
    base = f"http://127.0.0.1:{a.port}"
    subprocess.run([sys.executable, SHARED / "genfeeds.py", "--feeds", str(a.feeds), "--items",
                    str(a.items), "--out", work / "feeds", "--base", base],
                   check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen([sys.executable, SHARED / "serve.py", work / "feeds", "--port", str(a.port),
                               "--delay-ms", str(a.delay_ms), "--max-seconds", "900"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    try:
        total = a.feeds * a.items
        config, cache = work / "feeds" / "feeds.toml", work / "cache.db"
        rows = []
        for label in ["TUI, first run (empty cache)", "TUI, restart (cache filled, all 304)"]:
            loaded, mb = tui_peak(binary, config, cache, f"tidings-fp-{a.port}", total)
            shown = f"{loaded:.2f} s" if loaded is not None else "did not load"
            rows.append((label, shown, mb))
        print(f"\n| tidings TUI, {a.feeds} feeds x {a.items} items | all loaded after | peak RSS |")
        print("|---|---|---|")
        for label, shown, mb in rows:
            print(f"| {label} | {shown} | {mb:.0f} MB |")
    finally:
        server.terminate()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
