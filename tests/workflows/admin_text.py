"""What a Thai reader of an admin page sees in English: the visible text and the labels the browser
shows (placeholders, titles, button values), less the data itself (codes, user names)."""

import re
from html.parser import HTMLParser

SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
# Django writes a boolean column's icon text as True/False/None in Python, untranslatable; key names stay.
ALWAYS_ALLOWED = {"True", "False", "None", "Ctrl", "Mac"}
HIDDEN = {"script", "style", "template", "noscript"}
WORD = re.compile(r"[A-Za-z][A-Za-z’']{2,}")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        attrs = dict(attrs)
        for name in SHOWN_ATTRIBUTES & attrs.keys():
            self.parts.append(attrs[name] or "")
        if tag == "input" and attrs.get("type") in {"submit", "button"}:
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def main_part(html: str) -> str:
    """The page without the sidebar's list of every model (each app translates its own names)."""
    start = html.find('id="nav-sidebar"')
    if start < 0:
        return html
    return html[:start] + html[html.index("</nav>", start) :]


def english_parts(html: str, allowed: set[str] = frozenset()) -> list[str]:
    """The pieces of shown text that hold an English word, less the data named in `allowed`."""
    parser = _Text()
    parser.feed(main_part(html))
    allowed = ALWAYS_ALLOWED | set(allowed)
    return [" ".join(p.split()) for p in parser.parts if any(w not in allowed for w in WORD.findall(p))]
