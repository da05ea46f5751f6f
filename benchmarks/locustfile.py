"""Residents on the portal: searching, reading posts and applying.

run_load_test.py starts this with locust against gunicorn on 127.0.0.1.
It passes, in the file named by LOAD_TEST_DATA, the accounts to sign in
with, the published posts to read and the sessions to apply to. The
sessions are few and nearly full, so applications for one session arrive
at the same time, as they do when a popular post opens.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

with open(os.environ["LOAD_TEST_DATA"], encoding="utf-8") as data_file:
    DATA = json.load(data_file)

ACCOUNTS = itertools.cycle(DATA["emails"])
KEYWORDS = ["", "清掃", "保護猫", "竹林の間伐", "子ども", "防災", "高齢者", "環境"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Resident(HttpUser):
    # Seconds a resident reads before the next click.
    wait_time = between(1, 4)

    def on_start(self) -> None:
        self.client.headers["Accept-Language"] = "ja"
        page = self.client.get("/accounts/login/", name="log-in page")
        response = self.client.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self._token(page.text),
                "username": next(ACCOUNTS),
                "password": DATA["password"],
            },
            name="log in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"log-in answered {response.status_code}")

    def _token(self, html: str) -> str:
        match = TOKEN.search(html)
        return match.group(1) if match else ""

    @task(6)
    def search(self) -> None:
        params = {"q": random.choice(KEYWORDS)}
        if random.random() < 0.3:
            params["municipality"] = random.choice(DATA["municipalities"])
        self.client.get("/volunteer/", params=params, name="search")

    @task(3)
    def post_page(self) -> None:
        post_id = random.choice(DATA["posts"])
        self.client.get(f"/volunteer/posts/{post_id}/", name="post page")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(1)
    def apply(self) -> None:
        post_id, session_id = random.choice(DATA["sessions"])
        page = self.client.get(f"/volunteer/posts/{post_id}/", name="post page")
        with self.client.post(
            f"/volunteer/sessions/{session_id}/apply/",
            {
                "csrfmiddlewaretoken": self._token(page.text),
                f"session-{session_id}-party_size": "1",
            },
            name="apply",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # 302: applied; 400: already applied, full or closed, with the
            # reason on the page. Anything else is an error.
            if response.status_code in (302, 400):
                response.success()
            else:
                response.failure(f"apply answered {response.status_code}")
