# ruff: noqa: S311 — random picks what a simulated user clicks next; nothing secret depends on it.
"""Throughput scenario (issue 9): BLM staff and Pemda officials browsing the portal with realistic think
time — the home page, lists with filters, searches and page changes (some through htmx, as the
browser sends them), village pages reached from the lists, the map with its GeoJSON, agreements.

Run by `make load` and `make bench` (benchmarks/load.py), headless and bounded in time:

    locust -f benchmarks/locustfile.py --headless -u 50 -r 10 --run-time 60s --host http://127.0.0.1:8000

Users are logged in with the sessions listed in the JSON file named by BENCH_SESSIONS (made by
benchmarks/load.py, so that password hashing is not what is measured), else through the login form
with the demo logins (BLM and Pemda, README "Demo logins"). Static files are not fetched: a browser
has them cached (whitenoise's hashed names) after its first page.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

DEMO_LOGINS = [("blm.banjarmasin", "blm-percontohan"), ("pemda.baritokuala", "pemda-percontohan")]
AGREEMENT_STATUSES = ["berlaku", "ditandatangani", "berakhir"]
SEARCHES = ["sungai", "jaya", "makmur", "baru", "sari", "tanjung", "karya", "mekar", "anjir", "batu"]
VILLAGE_LINK = re.compile(r'href="(/wilayah/desa/[0-9.]+/)"')
AGREEMENT_LINK = re.compile(r'href="(/perjanjian/\d+/)"')
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
INDEX_STATUS = re.compile(r'<select[^>]*name="index_status"[^>]*>(.*?)</select>', re.S)
OPTION_VALUE = re.compile(r'<option value="([^"]+)"')
JSON_CONFIG = re.compile(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.S)


def _sessions():
    path = os.environ.get("BENCH_SESSIONS")
    if not path:
        return []
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


SESSIONS = _sessions()
_next_user = itertools.count()


class PortalUser(HttpUser):
    """A BLM staff member or a Pemda official (alternately), reading and filtering, 3–8 s between pages."""

    wait_time = between(3, 8)

    def on_start(self):
        number = next(_next_user)
        self.client.headers["Accept-Encoding"] = "gzip"
        if SESSIONS:
            name, _equals, value = SESSIONS[number % len(SESSIONS)]["cookie"].partition("=")
            self.client.cookies.set(name, value)
        else:
            self.log_in(*DEMO_LOGINS[number % len(DEMO_LOGINS)])
        self.villages, self.agreements, self.index_statuses = [], [], []

    def log_in(self, username, password):
        page = self.client.get("/akun/masuk/", name="/akun/masuk/")
        token = CSRF_TOKEN.search(page.text)
        self.client.post(
            "/akun/masuk/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": self.host + "/akun/masuk/"},
            name="/akun/masuk/ (POST)",
        )

    def remember(self, response):
        """Keep the links and filter choices a page offers, to follow them as a user would."""
        text = response.text or ""
        self.villages = VILLAGE_LINK.findall(text) or self.villages
        self.agreements = AGREEMENT_LINK.findall(text) or self.agreements
        select = INDEX_STATUS.search(text)
        if select:
            self.index_statuses = OPTION_VALUE.findall(select.group(1)) or self.index_statuses

    def get(self, path, name, htmx=False):
        headers = {"HX-Request": "true", "HX-Current-URL": self.host + path} if htmx else {}
        with self.client.get(path, name=name, headers=headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif "/akun/masuk/" in response.url:  # sent to the login form: the session did not hold
                response.failure("not logged in")
            else:
                response.success()
                self.remember(response)
        return response

    @task(2)
    def home(self):
        self.get("/", "/")

    @task(3)
    def village_list(self):
        self.get("/desa/", "/desa/")

    @task(2)
    def village_list_filtered(self):
        filters = {"kind": ["2"], "pilot_status": ["ditetapkan", "calon"]}
        if self.index_statuses:
            filters["index_status"] = self.index_statuses
        name = random.choice(sorted(filters))
        self.get(f"/desa/?{name}={random.choice(filters[name])}", f"/desa/?{name}=…", htmx=random.random() < 0.5)

    @task(2)
    def village_search(self):
        self.get(f"/desa/?q={random.choice(SEARCHES)}", "/desa/?q=…", htmx=random.random() < 0.5)

    @task(2)
    def village_list_next_page(self):
        self.get(f"/desa/?page={random.randint(2, 20)}", "/desa/?page=…", htmx=True)

    @task(3)
    def village_page(self):
        if not self.villages:
            self.village_list()
        if self.villages:
            self.get(random.choice(self.villages), "/wilayah/desa/[code]/")

    @task(1)
    def pilot_list(self):
        self.get("/desa-percontohan/", "/desa-percontohan/")

    @task(1)
    def area_list(self):
        self.get("/kawasan/", "/kawasan/")

    @task(1)
    def round_list(self):
        self.get("/seleksi/", "/seleksi/")

    @task(1)
    def map(self):
        page = self.get("/peta/", "/peta/")
        # The page's script fetches the GeoJSON its configuration names.
        for config in JSON_CONFIG.findall(page.text or ""):
            try:
                urls = json.loads(config)
            except ValueError:
                continue
            if isinstance(urls, dict):
                for key, url in urls.items():
                    if key.endswith("Url") and isinstance(url, str) and url.startswith("/"):
                        self.get(url, url.split("?")[0])

    @task(2)
    def agreement_list(self):
        query = random.choice(
            ["", f"?status={random.choice(AGREEMENT_STATUSES)}", f"?q={random.choice(['desa', 'kerja'])}"]
        )
        self.get(f"/perjanjian/{query}", "/perjanjian/" + ("?…" if query else ""))

    @task(1)
    def agreement_page(self):
        if self.agreements:
            self.get(random.choice(self.agreements), "/perjanjian/[id]/")

    @task(1)
    def commitment_list(self):
        self.get("/perjanjian/komitmen/", "/perjanjian/komitmen/")

    @task(1)
    def organisation_list(self):
        self.get("/mitra/instansi/", "/mitra/instansi/")
