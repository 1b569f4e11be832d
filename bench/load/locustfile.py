"""The load's users (run by `bench.load.run`, never imported by the app or the tests: locust
patches the standard library with gevent). Each user signs nothing in: it takes one of the tokens
the runner got, and one of the two servers, in turn.

A 409 is the API's answer to a race the load provokes on purpose (two coordinators triaging the
same request, an accept after the last seat went, an offer to an expert who just got booked): it
counts as the expected answer, not an error. Anything else outside 2xx is an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from locust import HttpUser, between, task

WORLD = json.loads(Path(os.environ["ROSTER_LOAD_WORLD"]).read_text())
HOSTS = itertools.cycle(WORLD["hosts"])
TOKENS = {role: itertools.cycle(tokens) for role, tokens in WORLD["tokens"].items()}
SEARCHES = (
    "q=gender",
    "q=mediation&topic=cthb:2&language=fr:B2&clearance=NC",
    "topic=crsv:3&language=en:C1&region=UA&deployable=true",
    "topic=tfgbv:3&language=uk:B2",
    "q=ethnography",
)


class RosterUser(HttpUser):
    abstract = True
    wait_time = between(0.1, 0.6)
    role = ""

    def on_start(self) -> None:
        self.client.base_url = next(HOSTS)
        self.client.headers["Authorization"] = f"Bearer {next(TOKENS[self.role])}"

    def call(self, method: str, path: str, name: str, *, body: object = None, ok=(200,)):
        """The answer's JSON (None when refused as expected); an error for any other status."""
        with self.client.request(
            method, path, json=body, name=name, catch_response=True
        ) as response:
            if response.status_code in ok:
                response.success()
                return response.json()
            if response.status_code == 409:
                response.success()
                return None
            response.failure(f"{response.status_code}: {response.text[:200]}")
            return None


class Lno(RosterUser):
    weight = 3
    role = "lno"

    @task(5)
    def search(self) -> None:
        self.call("GET", "/api/v1/experts?" + random.choice(SEARCHES), "LNO search")

    @task(2)
    def raise_and_submit(self) -> None:
        starts = date.today() + timedelta(days=random.randint(20, 400))
        created = self.call(
            "POST",
            "/api/v1/requests",
            "create request",
            ok=(201,),
            body={
                "title": "Load: advice to the mission",
                "description": "Raised by the load test.",
                "kind": "crisis",
                "classification": "NU",
                "required_clearance": "NR",
                "topics": [{"code": random.choice(("tfgbv", "sea")), "min_level": 3}],
                "languages": [{"code": "uk", "min_level": "B2"}],
                "regions": [],
                "urgency": "priority",
                "starts_on": starts.isoformat(),
                "ends_on": (starts + timedelta(days=random.randint(3, 30))).isoformat(),
                "mode": random.choice(("remote", "remote", "deployed")),
                "seats": random.randint(1, 3),
            },
        )
        if created:
            self.call(
                "POST",
                f"/api/v1/requests/{created['id']}/actions/submit",
                "submit request",
                body={"note": "Please staff."},
            )


class Coordinator(RosterUser):
    weight = 1
    role = "coordinator"

    @task(2)
    def triage(self) -> None:
        waiting = self.call("GET", "/api/v1/requests?state=submitted&per_page=20", "triage list")
        if waiting and waiting["items"]:
            found = random.choice(waiting["items"])
            self.call(
                "POST",
                f"/api/v1/requests/{found['id']}/actions/triage",
                "triage",
                body={"note": "Matching."},
            )

    @task(3)
    def candidates_and_offers(self) -> None:
        matching = self.call("GET", "/api/v1/requests?state=matching&per_page=50", "matching list")
        if not matching or not matching["items"]:
            return
        found = random.choice(matching["items"])
        ranked = self.call("GET", f"/api/v1/requests/{found['id']}/candidates", "candidates")
        if not ranked:
            return
        chosen = [c["expert_id"] for c in ranked[:8]]
        random.shuffle(chosen)
        self.call(
            "POST",
            f"/api/v1/requests/{found['id']}/offers",
            "send offers",
            ok=(201,),
            body={
                "expert_ids": chosen[:3],
                "respond_by": (datetime.now(UTC) + timedelta(days=2)).isoformat(),
            },
        )


class ExpertUser(RosterUser):
    weight = 3
    role = "expert"

    @task
    def answer_offers(self) -> None:
        mine = self.call("GET", "/api/v1/offers", "expert offers")
        for offer in [o for o in mine or [] if o["state"] == "open"][:2]:
            if random.random() < 0.7:
                self.call("POST", f"/api/v1/offers/{offer['id']}/accept", "accept")
            else:
                self.call(
                    "POST",
                    f"/api/v1/offers/{offer['id']}/decline",
                    "decline",
                    body={"reason": "Not available then."},
                )
