"""The XSS corpus, the text it writes into fields, and the check that a page shows it inert.

Every stored text starts with a marker naming its field (`xq07x`), so a test can tell
which fields a page shows; the payload follows.
"""

import itertools
import re
from html.parser import HTMLParser

from django.db import models

from canvases.pdf import PDF_ORIGIN

FETCH = "http://127.0.0.1:{port}"  # a recording server: anything fetched from it is a leak

PAYLOADS = [
    '<script>alert("xss")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    '\'><a href="javascript:alert(1)">link</a>',
    "</textarea><script>alert(1)</script>",
    "</title></style></noscript><script>alert(1)</script>",
    '<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "\u202e<script>alert(1)</script>\u202c",  # right-to-left override
    "＜script＞alert(1)＜/script＞",  # fullwidth brackets
    "{{ settings.SECRET_KEY }}{% debug %}",  # template syntax
    "<math><mtext></p><script>alert(1)</script></mtext></math>",
    '<img src="{fetch}/i.png"><link rel=stylesheet href="{fetch}/s.css">',
    "<style>@import url({fetch}/x.css);</style>",
    "javascript:alert(1)",
]
# For short fields: each still opens a tag, an attribute or a URL.
SHORT = ["<svg onload=x>", "<b onclick=x>", "javascript:x", '"><i>x', "<i>"]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "poster", "background"}
OWN_STATIC = ("/static/", f"{PDF_ORIGIN}/static/")  # pages, and the HTML WeasyPrint prints
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "math"}


class Corpus:
    """Hands out marked payloads; remembers which marker went into which field."""

    def __init__(self, port: int):
        self.fetch = FETCH.format(port=port)
        self.markers: dict[str, str] = {}  # "Model.field" → marker
        self._payloads = itertools.cycle(PAYLOADS)
        self._short = itertools.cycle(SHORT)

    def marker(self, label: str) -> str:
        if label not in self.markers:
            self.markers[label] = f"xq{len(self.markers):02d}x"
        return self.markers[label]

    def text(self, label: str, max_length: int | None = None) -> str:
        marker = self.marker(label)
        payload = next(self._payloads).replace("{fetch}", self.fetch)
        if max_length and len(marker) + len(payload) > max_length:
            payload = next(self._short)
        value = marker + payload
        return value[:max_length] if max_length else value

    def json(self, label: str):
        return {self.text(label, 60): self.text(label), "plan": self.text(label)}


class _Scanner(HTMLParser):
    """Reads tags and attributes as a browser's tokenizer does (the standard library's
    parser: ten times faster than a tree builder, which matters over a few MB of pages)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.open = [], None

    def handle_starttag(self, tag, attrs):
        self.open = tag
        values = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}> element")
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.found.append(f"script {values.get('src')!r}")
        if tag == "link" and not (values.get("href") or "").startswith(OWN_STATIC):
            self.found.append(f"link {values.get('href')!r}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> event handler")
            cleaned = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name in URL_ATTRIBUTES | {"xlink:href"} and cleaned.startswith(
                ("javascript:", "vbscript:", "data:text/html", "http://127.0.0.1:")
            ):
                self.found.append(f"<{tag} {name}={value[:60]!r}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.open = None

    def handle_endtag(self, tag):
        self.open = None

    def handle_data(self, data):
        if self.open == "script" and data.strip():
            self.found.append(f"inline script {data[:60]!r}")
        if self.open == "style" and re.search(r"@import|url\(|xq\d\dx", data):
            self.found.append(f"style {data[:80]!r}")


def dangers(html: str) -> list[str]:
    """Everything in a page that user text could have made active."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


def free_text_fields(model) -> list[models.Field]:
    """A model's fields that hold text a person typed (or a file or API sent)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
        and not field.choices
        and not isinstance(field, models.EmailField | models.SlugField)
    ]
