"""Times the reference Python client on the same payloads, from the same server, as the Java engine.

Run by ``benchmarks/run.sh`` against a running ``StubConfigServer``:

    python3 bench.py --server-port P --proxy-port Q --out python.json --work DIR

It measures, with the client of record in ``agentkit_sync_client.py`` and nothing changed in it:

* a full pull (``_pull_all``: GET /all, ``resp.json()``, cache write) of 1,000, 10,000 and 50,000 skills;
* an unchanged poll (``_check_and_sync`` when the version is the same): requests, bytes on the
  wire (counted by the server's proxy), process CPU time and wall time, polls back to back and
  then each after an idle pause, against a server of 1,000, 10,000 and 50,000 skills;
* a start from the cache with the server down (``start()``) and ``_load_from_cache`` alone, at
  1,000, 10,000 and 50,000 skills; at 10,000 also each cold run in a fresh interpreter, timed from
  inside once the modules are imported;
* lookups by name (``get_skill``) and a read of all skills (``get_skills``) at 100, 10,000 and
  100,000 skills;
* the memory one configuration holds (``tracemalloc``), against its JSON size.

It prints the raw samples as JSON (and writes them to ``--out``); the report takes the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from agentkit_sync_client import ConfigSync  # noqa: E402

PULL_SIZES = (1_000, 10_000, 50_000)
POLL_SIZE = 10_000
POLL_SIZES = PULL_SIZES
# The sleep before each poll of the idle series, as PollRun.IDLE_PAUSE_MILLIS.
IDLE_PAUSE_SECONDS = 0.02
CACHE_SIZE = 10_000
LOOKUP_SIZES = (100, 10_000, 100_000)
HEAP_SIZES = (1_000, 10_000, 50_000)


def url(port: int, size: int) -> str:
    return f"http://127.0.0.1:{port}/s{size}"


def stats(server_port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{server_port}/_bench/stats") as resp:
        return json.loads(resp.read())


def fresh(path: Path) -> Path:
    for suffix in ("", "-journal"):
        candidate = Path(str(path) + suffix)
        if candidate.exists():
            candidate.unlink()
    return path


async def full_pulls(server_port: int, work: Path) -> dict:
    results = {}
    for size in PULL_SIZES:
        warmups, runs = (1, 7) if size >= 50_000 else (2, 51) if size >= 10_000 else (3, 15)
        sync = ConfigSync(server_url=url(server_port, size), cache_db_path=fresh(work / f"pull-{size}.db"))
        sync._init_cache_db()
        sync._client = httpx.AsyncClient(timeout=sync.timeout)
        samples = []
        try:
            for i in range(warmups + runs):
                start = time.perf_counter()
                ok = await sync._pull_all()
                elapsed = time.perf_counter() - start
                assert ok and len(sync._skills) == size, "the pull failed"
                if i >= warmups:
                    samples.append(elapsed * 1e3)
        finally:
            await sync.stop()
        results[str(size)] = {"ms": samples}
        log(f"full pull of {size} skills: {samples}")
    return results


async def unchanged_polls(server_port: int, proxy_port: int, work: Path, size: int = POLL_SIZE) -> dict:
    warmups, runs = 250, 51
    sync = ConfigSync(server_url=url(proxy_port, size), cache_db_path=fresh(work / f"poll-{size}.db"))
    sync._init_cache_db()
    sync._client = httpx.AsyncClient(timeout=sync.timeout)
    samples = {key: [] for key in ("requests", "bytes", "bytesToServer", "bytesToClient", "cpuMicros", "wallMs")}
    try:
        assert await sync._pull_all(), "the first pull failed"
        version = sync.get_version()
        for i in range(warmups + runs):
            before = stats(server_port)
            cpu = time.process_time_ns()
            start = time.perf_counter_ns()
            changed = await sync._check_and_sync()
            wall = time.perf_counter_ns() - start
            cpu = time.process_time_ns() - cpu
            after = stats(server_port)
            assert changed is False and sync.get_version() == version, "the poll was not unchanged"
            if i < warmups:
                continue
            to_server = after["bytesToServer"] - before["bytesToServer"]
            to_client = after["bytesToClient"] - before["bytesToClient"]
            samples["requests"].append(after["versionRequests"] + after["allRequests"]
                                       - before["versionRequests"] - before["allRequests"])
            samples["bytes"].append(to_server + to_client)
            samples["bytesToServer"].append(to_server)
            samples["bytesToClient"].append(to_client)
            samples["cpuMicros"].append(cpu / 1e3)
            samples["wallMs"].append(wall / 1e6)
        # Then as polls minutes apart come: each after an idle pause (IDLE_PAUSE_SECONDS, as PollRun's).
        samples["idleCpuMicros"], samples["idleWallMs"] = [], []
        for i in range(runs):
            await asyncio.sleep(IDLE_PAUSE_SECONDS)
            cpu = time.process_time_ns()
            start = time.perf_counter_ns()
            changed = await sync._check_and_sync()
            wall = time.perf_counter_ns() - start
            cpu = time.process_time_ns() - cpu
            assert changed is False and sync.get_version() == version, "the poll was not unchanged"
            samples["idleCpuMicros"].append(cpu / 1e3)
            samples["idleWallMs"].append(wall / 1e6)
    finally:
        await sync.stop()
    log(f"unchanged poll of {size} skills: cpu {sorted(samples['cpuMicros'])[len(samples['cpuMicros']) // 2]} us")
    return samples


def down_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/s{CACHE_SIZE}"


async def start_from_cache(server_port: int, work: Path) -> dict:
    cache = fresh(work / f"start-cache-{CACHE_SIZE}.db")
    sync = ConfigSync(server_url=url(server_port, CACHE_SIZE), cache_db_path=cache)
    assert await sync.start(), "the pull that writes the cache failed"
    await sync.stop()
    down = down_url()
    cold = []
    for _ in range(7):
        out = subprocess.run([sys.executable, __file__, "--cold-start", str(cache), down],
                             check=True, capture_output=True, text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        assert result["skills"] == CACHE_SIZE, f"the cold start did not load the cache: {result}"
        cold.append(result["ms"])
    results = {"skills": CACHE_SIZE, "coldMs": cold, "warm": {}}
    for size in PULL_SIZES:
        results["warm"][str(size)] = await warm_starts(server_port, work, size, cache if size == CACHE_SIZE else None)
    log(f"start from cache: {results}")
    return results


async def warm_starts(server_port: int, work: Path, size: int, cache: Path | None) -> dict:
    if cache is None:
        cache = fresh(work / f"start-cache-{size}.db")
        sync = ConfigSync(server_url=url(server_port, size), cache_db_path=cache)
        assert await sync.start(), "the pull that writes the cache failed"
        await sync.stop()
    down = down_url()
    warm, load = [], []
    for i in range(20):
        sync = ConfigSync(server_url=down, cache_db_path=cache)
        start = time.perf_counter()
        ok = await sync.start()
        elapsed = time.perf_counter() - start
        assert not ok and len(sync.get_skills()) == size, "the warm start did not load the cache"
        start = time.perf_counter()
        assert sync._load_from_cache()
        load_elapsed = time.perf_counter() - start
        await sync.stop()
        if i >= 10:
            warm.append(elapsed * 1e3)
            load.append(load_elapsed * 1e3)
    return {"warmMs": warm, "loadMs": load}


async def cold_start(cache: str, server_url: str) -> None:
    start = time.perf_counter()
    sync = ConfigSync(server_url=server_url, cache_db_path=cache)
    await sync.start()
    elapsed = time.perf_counter() - start
    print(json.dumps({"ms": elapsed * 1e3, "skills": len(sync.get_skills())}))
    await sync.stop()


async def reads(server_port: int, work: Path) -> tuple[dict, dict]:
    lookups, read_alls = {}, {}
    for size in LOOKUP_SIZES:
        sync = ConfigSync(server_url=url(server_port, size), cache_db_path=fresh(work / f"reads-{size}.db"))
        sync._init_cache_db()
        sync._client = httpx.AsyncClient(timeout=sync.timeout)
        try:
            assert await sync._pull_all(), "the pull failed"
        finally:
            await sync.stop()
        names = [f"skill-{i:06d}" for i in range(size)]
        random.Random(7).shuffle(names)
        count = max(20, min(20_000, 2_000_000 // size))
        batch = [names[i % size] for i in range(count)]
        samples = []
        for _ in range(5):
            start = time.perf_counter_ns()
            for name in batch:
                sync.get_skill(name)
            samples.append((time.perf_counter_ns() - start) / count)
        lookups[str(size)] = samples
        repeats = max(3, 1_000_000 // size)
        samples = []
        for _ in range(5):
            start = time.perf_counter_ns()
            for _ in range(repeats):
                for skill in sync.get_skills():
                    skill.get("name")
            samples.append((time.perf_counter_ns() - start) / repeats)
        read_alls[str(size)] = samples
        log(f"reads at {size} skills: lookup {lookups[str(size)]} ns, read all {read_alls[str(size)]} ns")
    return lookups, read_alls


def heap(server_port: int) -> dict:
    results = {}
    for size in HEAP_SIZES:
        with urllib.request.urlopen(url(server_port, size) + "/api/v1/config/all") as resp:
            body = resp.read()
        samples = []
        for _ in range(3):
            gc.collect()
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
            data = json.loads(body)
            held = (data.get("version"), data.get("skills", []), data.get("workflows", []), data.get("synced_at"))
            del data
            gc.collect()
            after = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
            samples.append(after - before)
            del held
        results[str(size)] = {"jsonBytes": len(body), "bytes": samples}
        log(f"memory of {size} skills: {results[str(size)]}")
    return results


def log(message: str) -> None:
    print(f"[python] {message}", file=sys.stderr)


async def main(args: argparse.Namespace) -> None:
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    results = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "httpx": httpx.__version__,
        "executable": sys.executable,
    }
    results["fullPull"] = await full_pulls(args.server_port, work)
    results["poll"] = await unchanged_polls(args.server_port, args.proxy_port, work)
    results["pollBySize"] = {}
    for size in POLL_SIZES:
        results["pollBySize"][str(size)] = (results["poll"] if size == POLL_SIZE
                                            else await unchanged_polls(args.server_port, args.proxy_port, work, size))
    results["startFromCache"] = await start_from_cache(args.server_port, work)
    results["lookupNs"], results["readAllNs"] = await reads(args.server_port, work)
    results["heap"] = heap(args.server_port)
    text = json.dumps(results, indent=2)
    if args.out:
        Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--cold-start":
        asyncio.run(cold_start(sys.argv[2], sys.argv[3]))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-port", type=int, required=True)
    parser.add_argument("--proxy-port", type=int, required=True)
    parser.add_argument("--out")
    parser.add_argument("--work", default=os.path.join("target", "python-work"))
    asyncio.run(main(parser.parse_args()))
