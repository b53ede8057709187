"""Crisis-language screening: latency, throughput, start-up and memory, each beside the
rules-only screener measured in the same run (these machines are noisy; ratios travel).

- Latency per entry, one core, interleaved rounds: a 20-word check-in note and an
  800-character journal entry, p50 and p95, model and rules vs rules only.
- Batch throughput of `mend screen` itself (a subprocess reading JSON lines), against
  `mend screen --rules-only` on the same texts.
- Server start: seconds until `mend serve` answers its first request, and until the model
  has loaded in the background; the rules-only baseline is the same server with no model.
- Resident memory of a process that has screened one text, with and without the model.
- Concurrency: four threads screening at once against one, to show calls are not serialised.

Texts come from the project's evaluation set (tests/language/data/crisis_eval), which the
model never trained on, cut or joined to the target lengths.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from mend.language.crisis.rule_screen import screen as rule_screen
from mend.language.crisis.screening import MODEL, screen

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "language" / "data" / "crisis_eval"
MEND = str(Path(sys.executable).with_name("mend"))


def _texts() -> list[str]:
    return [
        json.loads(line)["text"]
        for path in sorted(EVAL.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _short(rng: random.Random, texts: list[str], count: int) -> list[str]:
    out = []
    for _ in range(count):
        words: list[str] = []
        while len(words) < 20:
            words += rng.choice(texts).split()
        out.append(" ".join(words[:20]))
    return out


def _long(rng: random.Random, texts: list[str], count: int) -> list[str]:
    out = []
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < 800:
            parts.append(rng.choice(texts))
        out.append(" ".join(parts)[:800])
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latency(rounds: int = 3, per_round: int = 60) -> None:
    rng = random.Random(11)
    texts = _texts()
    print("per-entry latency on one core (ms), interleaved rounds")
    print(f"{'entry':<14} {'screener':<16} {'p50':>7} {'p95':>7} {'x rules p50':>12}")
    for name, make in (("20 words", _short), ("800 chars", _long)):
        sample = make(rng, texts, per_round)
        timings: dict[str, list[float]] = {"model and rules": [], "rules only": []}
        for _ in range(rounds):
            for text in sample:
                started = time.perf_counter()
                screen(text, wait=0)
                timings["model and rules"].append((time.perf_counter() - started) * 1e3)
                started = time.perf_counter()
                rule_screen(text)
                timings["rules only"].append((time.perf_counter() - started) * 1e3)
        base = statistics.median(timings["rules only"])
        for screener, values in timings.items():
            p50, p95 = statistics.median(values), _percentile(values, 0.95)
            print(f"{name:<14} {screener:<16} {p50:>7.2f} {p95:>7.2f} {p50 / base:>12.1f}")


def concurrency(threads: int = 4, per_thread: int = 30) -> None:
    rng = random.Random(5)
    sample = _long(rng, _texts(), per_thread)

    def work() -> None:
        for text in sample:
            screen(text, wait=0)

    started = time.perf_counter()
    work()
    one = time.perf_counter() - started
    pool = [threading.Thread(target=work) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    many = time.perf_counter() - started
    cores = len(os.sched_getaffinity(0))
    print(
        f"concurrency: {threads} threads x {per_thread} entries of 800 chars: "
        f"{threads * per_thread / many:,.1f} entries/s vs {per_thread / one:,.1f} on one thread "
        f"({cores} core(s) available)"
    )


def batch(count: int = 300) -> None:
    rng = random.Random(3)
    texts = _long(rng, _texts(), count // 3) + _short(rng, _texts(), count - count // 3)
    payload = "\n".join(t.replace("\n", " ") for t in texts) + "\n"
    results = {}
    for label, extra in (("model and rules", []), ("rules only", ["--rules-only"])):
        started = time.perf_counter()
        done = subprocess.run(
            [MEND, "screen", *extra], input=payload, capture_output=True, text=True, check=True
        )
        results[label] = time.perf_counter() - started
        assert len(done.stdout.splitlines()) == len(texts)
    print(f"`mend screen` batch of {len(texts)} texts (process start included)")
    for label, seconds in results.items():
        print(f"  {label:<16} {len(texts) / seconds:>8,.1f} texts/s  ({seconds:.1f} s)")


def _serve(env: dict[str, str], port: int) -> tuple[float, float | None]:
    """Seconds until the server answers, and until the model is ready (None: never)."""
    with tempfile.TemporaryDirectory() as data:
        env = {**env, "MEND_DATA_DIR": data, "MEND_EMBEDDED_WORKER": "false"}
        subprocess.run([MEND, "setup"], env=env, check=True, capture_output=True)
        started = time.perf_counter()
        server = subprocess.Popen(
            [MEND, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        answered = ready = None
        try:
            while time.perf_counter() - started < 120:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                        body = json.loads(r.read())
                    answered = answered or time.perf_counter() - started
                    if body.get("screener") == "model and rules":
                        ready = time.perf_counter() - started
                        break
                    if body.get("screener") == "rules only" and "MEND_ENCODER_WEIGHTS" in env:
                        break
                except OSError:
                    pass
                time.sleep(0.05)
        finally:
            server.terminate()
            server.wait(timeout=20)
    return answered or float("nan"), ready


def start_up() -> None:
    env = dict(os.environ)
    with_model = _serve(env, 8791)
    without = _serve({**env, "MEND_ENCODER_WEIGHTS": "/nonexistent"}, 8792)
    print("server start (s until it answers; model ready in the background)")
    print(f"  rules only (no model)  answers {without[0]:.2f}")
    ready = "never" if with_model[1] is None else f"{with_model[1]:.2f}"
    print(f"  model and rules        answers {with_model[0]:.2f}, model ready {ready}")


def memory() -> None:
    # VmHWM (peak resident memory of this program), not ru_maxrss, which a child started
    # from this process inherits from it.
    script = (
        "import sys\n"
        "from mend.language.crisis.screening import screen\n"
        "from mend.language.crisis.rule_screen import screen as rules\n"
        "(screen('a quiet day at work', wait=300) if sys.argv[1] == 'model' "
        "else rules('a quiet day at work'))\n"
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(int(peak.split()[1]) / 1024)\n"
    )
    sizes = {}
    for which in ("rules", "model"):
        done = subprocess.run(
            [sys.executable, "-c", script, which], capture_output=True, text=True, check=True
        )
        sizes[which] = float(done.stdout.strip())
    print(
        f"peak resident memory after one screening: rules only {sizes['rules']:.0f} MB, "
        f"model and rules {sizes['model']:.0f} MB (+{sizes['model'] - sizes['rules']:.0f} MB)"
    )


def run() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as promised
    if MODEL.get(wait=300) is None:
        print(f"crisis model unavailable ({MODEL.error}); nothing to compare")
        return
    latency()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    concurrency()
    batch()
    memory()
    start_up()


if __name__ == "__main__":
    run()
