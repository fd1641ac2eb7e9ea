"""The reference Python client (``agentkit.client.sync.ConfigSync``), reproduced unchanged for comparison.

This is the AgentKit Python client of record, whose behaviour the Java starter reproduces.
It is copied here only so that ``bench.py`` can time it on the same payloads, from the same
server, as the Java engine. Do not change it: the benchmark compares against it as it is.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import httpx

logger = logging.getLogger(__name__)

DEFAULT_POLL_INTERVAL = 300  # 5 minutes
DEFAULT_TIMEOUT = 30.0
DEFAULT_CACHE_DB_PATH = Path(
    os.environ.get("AGENTKIT_CONFIG_CACHE", str(Path.home() / ".agentkit" / "config_cache.db"))
)

_CACHE_SCHEMA = """
CREATE TABLE IF NOT EXISTS config_cache (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""


class ConfigSync:
    def __init__(
        self,
        *,
        server_url: str,
        token_provider: Callable[[], str | None] | None = None,
        cache_db_path: str | Path | None = None,
        poll_interval: int = DEFAULT_POLL_INTERVAL,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.token_provider = token_provider
        self.cache_db_path = Path(cache_db_path) if cache_db_path else DEFAULT_CACHE_DB_PATH
        self.poll_interval = poll_interval
        self.timeout = timeout
        self._client: httpx.AsyncClient | None = None
        self._poll_task: asyncio.Task | None = None
        self._stopped = False
        self._version: str | None = None
        self._skills: list = []
        self._workflows: list = []
        self._last_synced_at: str | None = None

    async def start(self) -> bool:
        self._init_cache_db()
        self._client = httpx.AsyncClient(timeout=self.timeout)
        success = await self._pull_all()
        if not success:
            logger.info("Server unreachable, loading cached configs")
            self._load_from_cache()
        return success

    async def stop(self) -> None:
        self._stopped = True
        if self._poll_task and not self._poll_task.done():
            self._poll_task.cancel()
            try:
                await self._poll_task
            except asyncio.CancelledError:
                pass
        if self._client:
            await self._client.aclose()
            self._client = None

    async def poll_loop(self) -> None:
        while not self._stopped:
            try:
                await asyncio.sleep(self.poll_interval)
                if self._stopped:
                    break
                await self._check_and_sync()
            except asyncio.CancelledError:
                break
            except Exception as e:
                logger.warning(f"Config poll error: {e}")

    def start_polling(self) -> asyncio.Task:
        self._poll_task = asyncio.create_task(self.poll_loop())
        return self._poll_task

    async def _check_and_sync(self) -> bool:
        if not self._client:
            return False
        try:
            resp = await self._client.get(
                f"{self.server_url}/api/v1/config/version",
                headers=self._build_headers(),
            )
            if resp.status_code != 200:
                logger.warning(f"Version check failed: HTTP {resp.status_code}")
                return False
            server_version = resp.json().get("version")
            if server_version == self._version:
                logger.debug("Config version unchanged, skipping sync")
                return False
            logger.info(f"Config version changed: {self._version} -> {server_version}")
            return await self._pull_all()
        except (httpx.HTTPError, OSError) as e:
            logger.warning(f"Version check network error: {e}")
            return False

    async def _pull_all(self) -> bool:
        if not self._client:
            return False
        try:
            resp = await self._client.get(
                f"{self.server_url}/api/v1/config/all",
                headers=self._build_headers(),
            )
            if resp.status_code != 200:
                logger.warning(f"Config pull failed: HTTP {resp.status_code}")
                return False
            data = resp.json()
            self._version = data.get("version")
            self._skills = data.get("skills", [])
            self._workflows = data.get("workflows", [])
            self._last_synced_at = data.get("synced_at")
            self._save_to_cache(data)
            logger.info(
                f"Synced {len(self._skills)} skills, {len(self._workflows)} workflows "
                f"(version={self._version})"
            )
            return True
        except (httpx.HTTPError, OSError, json.JSONDecodeError) as e:
            logger.warning(f"Config pull error: {e}")
            return False

    def get_version(self):
        return self._version

    def get_skills(self):
        return list(self._skills)

    def get_workflows(self):
        return list(self._workflows)

    def get_all(self):
        return {
            "version": self._version,
            "skills": list(self._skills),
            "workflows": list(self._workflows),
            "synced_at": self._last_synced_at,
        }

    def get_skill(self, name: str):
        for skill in self._skills:
            if skill.get("name") == name:
                return skill
        return None

    def get_workflow(self, workflow_id: str):
        for wf in self._workflows:
            if wf.get("workflow_id") == workflow_id:
                return wf
        return None

    def _build_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {"Accept": "application/json"}
        if self.token_provider:
            token = self.token_provider()
            if token:
                headers["Authorization"] = f"Bearer {token}"
        return headers

    def _init_cache_db(self) -> None:
        self.cache_db_path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(str(self.cache_db_path)) as conn:
            conn.executescript(_CACHE_SCHEMA)
            conn.commit()

    def _save_to_cache(self, data) -> None:
        now = datetime.now(timezone.utc).isoformat()
        with sqlite3.connect(str(self.cache_db_path)) as conn:
            conn.executescript(_CACHE_SCHEMA)
            entries = [
                ("version", json.dumps(data.get("version")), now),
                ("skills", json.dumps(data.get("skills", [])), now),
                ("workflows", json.dumps(data.get("workflows", [])), now),
                ("synced_at", json.dumps(data.get("synced_at")), now),
            ]
            conn.executemany(
                "INSERT OR REPLACE INTO config_cache (key, value, updated_at) VALUES (?, ?, ?)",
                entries,
            )
            conn.commit()

    def _load_from_cache(self) -> bool:
        try:
            with sqlite3.connect(str(self.cache_db_path)) as conn:
                conn.row_factory = sqlite3.Row
                cursor = conn.execute(
                    "SELECT key, value FROM config_cache WHERE key IN (?, ?, ?, ?)",
                    ("version", "skills", "workflows", "synced_at"),
                )
                rows = {row["key"]: row["value"] for row in cursor.fetchall()}
            if not rows:
                return False
            self._version = json.loads(rows.get("version", "null"))
            self._skills = json.loads(rows.get("skills", "[]"))
            self._workflows = json.loads(rows.get("workflows", "[]"))
            self._last_synced_at = json.loads(rows.get("synced_at", "null"))
            logger.info(
                f"Loaded {len(self._skills)} skills, {len(self._workflows)} workflows "
                f"from cache (version={self._version})"
            )
            return True
        except Exception as e:
            logger.warning(f"Failed to load config cache: {e}")
            return False
