"""Load test: 50 users on the busiest pages of `wuzaicun serve`; prints throughput and p50/p95 latency per page.

    .venv/bin/python bench/load.py [--users 50] [--seconds 30] [--workers N] [--threads 4] [--data-dir DIR]

A bounded loop on 127.0.0.1. The server is the production one (`wuzaicun serve`: gunicorn gthread, hashed
static files), on a scratch data folder holding the demo data of one county (`wuzaicun demo --no-serve
--synth-prefix 520302`, made once and kept under bench/out/load-demo/; `--data-dir` names another, and
DATABASE_URL another database, which must already hold the demo). Each simulated user logs in once (its own
session, as demo_county) and then walks the pages in a loop for `--seconds`, each request waiting for the
previous one (a closed loop, keep-alive connections): 50 users means at most 50 requests in flight.

The peers (../shared/PERFORMANCE.md), measured the same way in the same run:
- static file: a hashed CSS file served by WhiteNoise from memory, no database, no session: the most the
  server and this client together can do on this machine (the limit);
- login page: a page through the whole middleware stack and template engine, with no query.
The client runs in the same machine (threads, one Python process), so the limit includes its own cost.

Measured 2026-11-26 on the 2-core project machine while five other sessions ran their tests and a province
synth (load average 15.7), SQLite, one county's demo data (106,587 rows), 5 workers × 4 threads, 50 users,
`bench/load.py --users 50 --seconds 20` (requests/s, p50 / p95 ms):
- business pages together 16.8/s, each page 2.3–2.5/s, p50 1.8–2.4 s, p95 6.5–7.1 s; no failure;
- static file 811/s, p50 39 / p95 199 ms (the limit); login page 211/s, p50 110 / p95 976 ms.
On a quiet machine (2026-11-27, load average 0.2, nothing else running), the same command: business pages
94.5/s together, each page 13.5/s, p50 545–562 ms, p95 861–897 ms, no failure; static file 1,850/s, p95 59 ms;
login page 777/s, p95 185 ms.
A list page costs ~8–12 login pages (its queries and a larger template); with 20 requests in service at a time
and 50 users, each waits for ~2.5 others. On a crowded 2-core machine these figures say more about the
ratio to the peers than about a dedicated server; re-run on the target hardware.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
WUZAICUN = [sys.executable, "-m", "wuzaicun.manage"]
USERNAME, PASSWORD = "demo_county", "Demo@2016zy"  # the demo's published password (core/management/commands/demo.py)
PAGES = [
    ("工作台", "/"),
    ("农户列表", "/registry/households/"),
    ("农户列表第 20 页", "/registry/households/?page=20"),
    ("农户搜索", "/registry/households/?q=%E7%8E%8B"),
    ("党员干部", "/registry/people/"),
    ("村列表", "/regions/villages/"),
    ("区划树", "/registry/tree/"),
]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"WUZAICUN_PRODUCTION", "DEBUG", "HTTPS"}}
    return env | {"WUZAICUN_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "wuzaicun.settings",
                  "PYTHONPATH": str(ROOT / "src"), "LOG_LEVEL": "ERROR"}


def prepare(data_dir: Path) -> None:
    marker = data_dir / "load-demo.ready"
    if marker.exists() or "DATABASE_URL" in os.environ:
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"生成演示数据（一个县）到 {data_dir} …", file=sys.stderr)
    started = time.monotonic()
    subprocess.run([*WUZAICUN, "demo", "--no-serve", "--synth-prefix", "520302"], env=_env(data_dir), check=True,
                   stdout=subprocess.DEVNULL)
    marker.write_text("ok")
    print(f"  用时 {time.monotonic() - started:.0f} 秒", file=sys.stderr)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, data_dir: Path, workers: int, threads: int) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [*WUZAICUN, "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--threads",
             str(threads)], env=_env(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            start_new_session=True)
        for _ in range(600):
            if self.process.poll() is not None:
                raise SystemExit(f"wuzaicun serve 退出：{self.process.stderr.read() if self.process.stderr else ''}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.25)
        raise SystemExit("wuzaicun serve 未能启动")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)  # gunicorn and its workers: this run's own process group
        self.process.wait(timeout=60)


class User:
    """One browser: a keep-alive connection and its own session cookie."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):  # a worker recycled (--max-requests) closed it
                self.connection.close()
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def login(self) -> None:
        _, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise SystemExit("登录页没有 CSRF 令牌")
        status, _ = self.request("POST", "/accounts/login/", urlencode(
            {"csrfmiddlewaretoken": token.group(1).decode(), "username": USERNAME, "password": PASSWORD}))
        if status != 302:
            raise SystemExit(f"登录失败（{status}）：演示用户 {USERNAME} 是否存在？")


def run_loop(port: int, users: int, seconds: float, pages: list[tuple[str, str]], *, login: bool
             ) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """`users` threads walk `pages` for `seconds`; latencies (s) and error counts per page, and the wall time."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop_at = [0.0]
    # when all have logged in, the clock starts (the action runs before any thread is released)
    ready = threading.Barrier(users + 1, action=lambda: stop_at.__setitem__(0, time.monotonic() + seconds))

    def walk(number: int) -> None:
        user = User(port)
        if login:
            user.login()
        ready.wait()
        mine: list[tuple[str, float, bool]] = []
        i = number  # users start at different pages
        while time.monotonic() < stop_at[0]:
            name, path = pages[i % len(pages)]
            i += 1
            started = time.perf_counter()
            try:
                status, _ = user.request("GET", path)
                ok = status == 200
            except (http.client.HTTPException, OSError):
                ok = False
            mine.append((name, time.perf_counter() - started, ok))
        with lock:
            for name, seconds_taken, ok in mine:
                latencies[name].append(seconds_taken)
                if not ok:
                    errors[name] += 1

    threads = [threading.Thread(target=walk, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = stop_at[0] - seconds
    for thread in threads:
        thread.join()
    return latencies, errors, time.monotonic() - started


def _ms(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def _pad(text: str, width: int) -> str:
    """Left-aligned in `width` terminal columns (a Chinese character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def report(title: str, latencies: dict[str, list[float]], errors: dict[str, int], wall: float) -> None:
    total = sum(len(v) for v in latencies.values())
    print(f"\n{title}：共 {total} 个请求，{total / wall:.1f} 次/秒，用时 {wall:.1f} 秒")
    print(f"{_pad('页面', 18)}{'请求':>6}{'失败':>5}{'次/秒':>9}{'p50毫秒':>11}{'p95毫秒':>11}")
    for name, values in latencies.items():
        print(f"{_pad(name, 18)}{len(values):>8}{errors.get(name, 0):>7}{len(values) / wall:>11.1f}"
              f"{_ms(values, 50):>13.0f}{_ms(values, 95):>13.0f}")


def static_path(port: int) -> str:
    user = User(port)
    _, page = user.request("GET", "/accounts/login/")
    found = re.search(rb'href="(/static/wuzaicun/app[^"]*\.css)"', page)
    return found.group(1).decode() if found else "/static/wuzaicun/app.css"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=None, help="默认 wuzaicun serve 的（CPU 核数×2+1）")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--data-dir", type=Path, default=OUT / "load-demo")
    parser.add_argument("--fresh", action="store_true", help="重新生成演示数据")
    args = parser.parse_args()
    if args.fresh and args.data_dir.exists():
        shutil.rmtree(args.data_dir)
    prepare(args.data_dir)
    workers = args.workers or min(2 * (os.cpu_count() or 1) + 1, 17)
    server = Server(args.data_dir, workers, args.threads)
    try:
        print(f"wuzaicun serve：{workers} 个进程 × {args.threads} 线程，127.0.0.1:{server.port}；"
              f"{args.users} 个并发用户，每项 {args.seconds:.0f} 秒；CPU {os.cpu_count()} 核，"
              f"负载 {os.getloadavg()[0]:.1f}")
        for name, path in PAGES:  # warm-up, and every page must answer 200
            user = User(server.port)
            user.login()
            status, _ = user.request("GET", path)
            if status != 200:
                raise SystemExit(f"{name} {path} 返回 {status}")
        report("业务页面（登录后）", *run_loop(server.port, args.users, args.seconds, PAGES, login=True))
        peers = [("静态文件", static_path(server.port)), ("登录页", "/accounts/login/")]
        for peer in peers:
            report(f"对照：{peer[0]}", *run_loop(server.port, args.users, args.seconds / 2, [peer], login=False))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
