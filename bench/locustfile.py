"""Workshop participants on one live board, for bench/load.py (which runs this with locust).

Each participant opens the board at a moment of their own (within the first 1.5 s, so
their polls are out of step, as browsers opened at different moments are), then every
1.5 s polls it with the revision and the people it knows (the URL the last answer's live
marker carries, as board.js does), and between polls adds a note (every ~20 s on
average), moves one (~60 s) or votes (~40 s), sending that revision as board.js does so
the answer brings everyone's changes since.
Every request is recorded (kind, start, milliseconds, outcome) and written to
LOAD_RESULTS when locust quits; LOAD_PLAN names the board, the notes and the sessions.
"""

import json
import os
import random
import re
import secrets
import time
from html import unescape
from itertools import count
from pathlib import Path

import gevent
from locust import FastHttpUser, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
POLL_EVERY = 1.5  # seconds, as the board's script polls
CHANCES = {"add note": 1.5 / 20, "move note": 1.5 / 60, "vote": 1.5 / 40}
POLL_URL = re.compile(r'data-poll-url="([^"]+)"')
NOTE_ID = re.compile(r'id="note-(\d+)"')
REVISION = re.compile(r"[?&]rev=(\d*)")
HTMX = {"HX-Request": "true"}
RESULTS = []
participants = count()


@events.request.add_listener
def record(name, start_time, response_time, response, exception, **_):
    status = getattr(response, "status_code", 0)
    error = exception or (status >= 400 and status) or None
    RESULTS.append((name, start_time, response_time, str(error) if error else ""))


@events.quitting.add_listener
def save(**_):
    Path(os.environ["LOAD_RESULTS"]).write_text(json.dumps(RESULTS))


class Participant(FastHttpUser):
    def wait_time(self) -> float:
        """Like board.js's setInterval: every POLL_EVERY from this participant's own start.

        (locust's constant_pacing counts from when the users were created, all at
        once, which lines every participant's polls up in the same 100 ms.)
        """
        self.next_poll += POLL_EVERY
        return max(0.0, self.next_poll - time.monotonic())

    def on_start(self):
        gevent.sleep(random.uniform(0, POLL_EVERY))
        self.next_poll = time.monotonic()
        token = secrets.token_hex(16)  # the CSRF secret, sent as cookie and header
        session = PLAN["sessions"][next(participants) % len(PLAN["sessions"])]
        self.headers = {"Cookie": f"sessionid={session}; csrftoken={token}", "X-CSRFToken": token}
        self.notes = list(PLAN["notes"])
        self.written = 0
        response = self.client.get(PLAN["board"], headers=self.headers, name="open board")
        self.follow(response)

    def follow(self, response) -> None:
        """Keep the poll URL of the latest live marker and the notes seen."""
        text = response.text or ""
        if found := POLL_URL.search(text):
            self.poll_url = unescape(found.group(1))
        self.notes.extend(int(pk) for pk in NOTE_ID.findall(text)[-5:])

    @task
    def take_part(self):
        with self.client.get(
            self.poll_url, headers={**self.headers, **HTMX}, catch_response=True, name="poll"
        ) as response:
            response.request_meta["name"] = (
                "poll: nothing new" if response.status_code == 204 else "poll: changes"
            )
        if response.status_code == 200:
            self.follow(response)
        roll = random.random()
        for action, chance in CHANCES.items():
            if roll < chance:
                self.act(action)
                return
            roll -= chance

    def act(self, action: str) -> None:
        note = random.choice(self.notes)
        if action == "add note":
            self.written += 1
            url, data = PLAN["add"], {"area": random.choice(PLAN["areas"]), "text": self.text()}
        elif action == "move note":
            url = PLAN["move"].replace(PLAN["any_note"], str(note))
            data = {"area": random.choice(PLAN["areas"]), "position": random.randrange(8)}
        else:
            url, data = PLAN["vote"].replace(PLAN["any_note"], str(note)), {}
        # As board.js does: the revision the board shows, so the answer brings what changed since.
        revision = {"X-Board-Revision": REVISION.search(self.poll_url).group(1)}
        response = self.client.post(
            url, data=data, headers={**self.headers, **HTMX, **revision}, name=action
        )
        self.follow(response)

    def text(self) -> str:
        return f"Idea {self.written} of participant {id(self) % 997}: onboarding takes too long"
