"""The psychoeducation library: short articles Mend wrote for its clients, kept as small
Markdown-ish files in `library/` beside this module, turned into HTML here and searched
here.

The renderer knows only what the articles use (headings, paragraphs, lists, bold,
italic, links to Mend's own pages, "Try this" and "more help" boxes, and named inserts)
and escapes everything else, so an article can never carry markup of its own or send a
reader to another site. Loading, rendering and searching are pure apart from reading
the packaged files once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from html import escape
from importlib.resources import files

from markupsafe import Markup

from mend.language.traps_catalogue import CATALOGUE

# --- articles ---

MAX_QUERY = 100
MAX_ID = 60  # fits "reading:<id>" in homework.tool and library_reads.article_id
REQUIRED = ("id", "title", "summary", "minutes", "tags")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ArticleError(ValueError):
    """An article file that cannot be used; says which file and why."""


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    summary: str
    minutes: int
    tags: tuple[str, ...]
    body: str  # the Markdown-ish source, without its front matter
    order: int = 100

    @cached_property
    def html(self) -> Markup:
        return render(self.body, inserts=INSERTS)

    @cached_property
    def words(self) -> int:
        return len(plain_text(self.body).split())

    @cached_property
    def index(self) -> Mapping[str, tuple[str, ...]]:
        """Search terms per field, computed once per article."""
        return {
            "title": tuple(terms(self.title)),
            "tags": tuple(terms(" ".join(self.tags))),
            "summary": tuple(terms(self.summary)),
            "body": tuple(terms(plain_text(self.body))),
        }


def parse_article(text: str, *, name: str = "article") -> Article:
    """One file: front matter between `---` lines (`key: value`), then the body."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in (s.strip() for s in lines[1:]):
        raise ArticleError(f"{name}: must start with front matter between '---' lines")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ArticleError(f"{name}: front matter line {line!r} has no ':'")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]  # quoted, for a value that holds a ':'
        meta[key.strip()] = value
    missing = [k for k in REQUIRED if not meta.get(k)]
    if missing:
        raise ArticleError(f"{name}: front matter is missing {', '.join(missing)}")
    if not _ID.match(meta["id"]) or len(meta["id"]) > MAX_ID:
        raise ArticleError(
            f"{name}: id {meta['id']!r} must be lower-case words joined by '-', "
            f"at most {MAX_ID} characters"
        )
    try:
        minutes = int(meta["minutes"])
        order = int(meta.get("order", "100"))
    except ValueError as exc:
        raise ArticleError(f"{name}: minutes and order must be whole numbers") from exc
    body = "\n".join(lines[end + 1 :]).strip("\n")
    article = Article(
        id=meta["id"],
        title=meta["title"],
        summary=meta["summary"],
        minutes=minutes,
        tags=tuple(t.strip() for t in meta["tags"].split(",") if t.strip()),
        body=body,
        order=order,
    )
    try:
        _ = article.html  # refuse a file the renderer cannot read, at load time
    except ValueError as exc:
        raise ArticleError(f"{name}: {exc}") from exc
    return article


@cache
def articles() -> tuple[Article, ...]:
    """Every article shipped with Mend, in reading order. Read through importlib.resources
    so they load the same from a source checkout, a wheel or a zip."""
    folder = files("mend.practice").joinpath("library")
    found: list[Article] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".md") or entry.name.startswith(("_", ".")):
            continue
        article = parse_article(entry.read_text(encoding="utf-8"), name=entry.name)
        if f"{article.id}.md" != entry.name:
            raise ArticleError(f"{entry.name}: id {article.id!r} does not match the file name")
        found.append(article)
    ids = [a.id for a in found]
    if len(set(ids)) != len(ids):
        raise ArticleError("two library articles share an id")
    return tuple(sorted(found, key=lambda a: (a.order, a.title)))


def article(article_id: str) -> Article | None:
    return next((a for a in articles() if a.id == article_id), None)


# --- rendering ---

_HEADING = re.compile(r"^(#{2,3})\s+(.+)$")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
_BOX_OPEN = re.compile(r"^:::\s*([a-z]+)\s*(.*)$")
_INSERT = re.compile(r"^\[\[([a-z_-]+)\]\]$")
_INLINE = re.compile(
    r"\[(?P<label>[^\[\]]+)\]\((?P<href>[^()\s]*)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*"
)
# Only Mend's own pages ("/me/journal", "/me/library/boundaries#try") or a place on this
# page ("#trap-labeling"): no scheme, no other host, nothing that could close the attribute.
_INTERNAL = re.compile(
    r"^(?:/(?!/)[A-Za-z0-9\-._~/]*(?:\?[A-Za-z0-9\-._~=&%+]*)?)?(?:#[A-Za-z0-9\-_]+)?$"
)
# The boxes an article may hold, with the heading each shows unless the file gives one.
BOXES = {"try": ("try-this", "Try this"), "help": ("more-help", "When to reach for more help")}


def is_internal(href: str) -> bool:
    return bool(href) and bool(_INTERNAL.match(href))


def inline(text: str, *, links: bool = True) -> str:
    """Bold, italic and internal links inside one line of text; everything else escaped."""
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(escape(text[pos : m.start()]))
        if m.group("label") is not None:
            label = inline(m.group("label"), links=False)
            href = m.group("href")
            # An outside or odd address keeps its words and loses the link.
            out.append(
                f'<a href="{escape(href)}">{label}</a>' if links and is_internal(href) else label
            )
        elif m.group("bold") is not None:
            out.append(f"<strong>{inline(m.group('bold'), links=links)}</strong>")
        else:
            out.append(f"<em>{inline(m.group('em'), links=links)}</em>")
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


@dataclass
class _Writer:
    inserts: Mapping[str, str]
    out: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def unique_id(self, text: str) -> str:
        base = candidate = slug(text)
        n = 2
        while candidate in self.ids:
            candidate = f"{base}-{n}"
            n += 1
        self.ids.add(candidate)
        return candidate


def _blocks(lines: Sequence[str], w: _Writer, *, in_box: bool = False) -> None:
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush() -> None:
        nonlocal list_tag
        if paragraph:
            w.out.append(f"<p>{inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            body = "".join(f"<li>{inline(i)}</li>" for i in items)
            w.out.append(f"<{list_tag}>{body}</{list_tag}>")
            items.clear()
            list_tag = ""

    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        stripped = line.strip()
        i += 1
        if not stripped:
            flush()
            continue
        box = _BOX_OPEN.match(stripped)
        if box and box.group(1):
            flush()
            if in_box:
                raise ValueError("a box cannot hold another box")
            kind = box.group(1)
            if kind not in BOXES:
                raise ValueError(f"unknown box ':::{kind}'")
            close = next((j for j in range(i, len(lines)) if lines[j].strip() == ":::"), None)
            if close is None:
                raise ValueError(f"the ':::{kind}' box is never closed with ':::'")
            css, default_title = BOXES[kind]
            title = box.group(2).strip() or default_title
            heading_id = w.unique_id(title)
            w.out.append(
                f'<aside class="{css}" aria-labelledby="{heading_id}">'
                f'<h2 id="{heading_id}">{inline(title, links=False)}</h2>'
            )
            _blocks(lines[i:close], w, in_box=True)
            w.out.append("</aside>")
            i = close + 1
            continue
        if stripped == ":::":
            raise ValueError("':::' closes a box that was never opened")
        insert = _INSERT.match(stripped)
        if insert:
            flush()
            name = insert.group(1)
            if name not in w.inserts:
                raise ValueError(f"unknown insert [[{name}]]")
            w.out.append(w.inserts[name])
            continue
        heading = _HEADING.match(stripped)
        if heading:
            flush()
            level = len(heading.group(1))
            text = heading.group(2).strip()
            w.out.append(f'<h{level} id="{w.unique_id(text)}">{inline(text)}</h{level}>')
            continue
        bullet, numbered = _BULLET.match(stripped), _NUMBERED.match(stripped)
        if bullet or numbered:
            tag = "ul" if bullet else "ol"
            if paragraph or (items and tag != list_tag):
                flush()
            list_tag = tag
            items.append((bullet or numbered).group(1))  # type: ignore[union-attr]
            continue
        if items and line.startswith("  "):
            items[-1] += " " + stripped  # an item continued on the next, indented line
            continue
        if items:
            flush()
        paragraph.append(stripped)
    flush()


def render(source: str, *, inserts: Mapping[str, str] | None = None) -> Markup:
    """An article body as safe HTML. `inserts` are trusted HTML fragments that the body
    places on a line of their own as `[[name]]`. Raises ValueError for a malformed body
    (an unknown box or insert, a box left open), so a broken file fails at load time."""
    writer = _Writer(inserts or {})
    _blocks(source.replace("\r\n", "\n").split("\n"), writer)
    # Every piece written above was escaped or built from escaped parts.
    return Markup("\n".join(writer.out))


def plain_text(source: str) -> str:
    """The words of a body without its markup (for counting and searching)."""
    text = re.sub(r"\]\([^()\s]*\)", "]", source)  # link targets are not words
    text = re.sub(r"^:::.*$|^\[\[[a-z_-]+\]\]$", " ", text, flags=re.MULTILINE)
    return re.sub(r"[#*\[\]_]", " ", text)


def _traps_html() -> str:
    """The thirteen thinking traps, straight from the catalogue the thought record uses,
    so the library and the thought record always describe them the same way. Each has an
    anchor (#trap-<id>) other pages can link to."""
    items = "".join(
        f'<li id="trap-{escape(t.id)}"><strong>{escape(t.name)}</strong>: '
        f"{escape(t.explanation)} <em>{escape(t.question)}</em></li>"
        for t in CATALOGUE
    )
    return f'<ul class="trap-list">{items}</ul>'


INSERTS: Mapping[str, str] = {"traps": _traps_html()}


# --- search ---

_WORD = re.compile(r"[a-z0-9]+")
# Little words that say nothing about what an article is about.
# fmt: off
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from",
    "how", "i", "if", "in", "into", "is", "it", "me", "my", "of", "on", "or", "so", "that",
    "the", "their", "them", "they", "this", "to", "was", "we", "what", "when", "where",
    "which", "who", "why", "will", "with", "you", "your"
})
# fmt: on
# The fields a word can be found in, and how much a match there counts.
WEIGHTS = {"title": 6, "tags": 4, "summary": 3, "body": 1}
BODY_CAP = 5  # matches per word counted in the body, so a long article can't drown a title


def stem(word: str) -> str:
    """A light stemmer: enough for "boundaries"/"boundary" and "trusting"/"trust"."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


def terms(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def _matches(term: str, word: str) -> bool:
    # Whole words, or the start of a longer one ("reject" finds "rejection"); short terms
    # such as "act" only whole, so they don't find "action".
    return word == term or (len(term) >= 4 and word.startswith(term))


@dataclass(frozen=True)
class Hit:
    article: Article
    matched: int  # how many of the query's words were found anywhere
    score: int


def score(article: Article, query_terms: Iterable[str]) -> Hit:
    matched = 0
    total = 0
    for term in dict.fromkeys(query_terms):  # each word once, in order
        term_score = 0
        for name, weight in WEIGHTS.items():
            count = sum(1 for w in article.index[name] if _matches(term, w))
            if name == "body":
                count = min(count, BODY_CAP)
            elif count:
                count = 1
            term_score += weight * count
        if term_score:
            matched += 1
            total += term_score
    return Hit(article, matched, total)


def search(library: Sequence[Article], query: str) -> list[Article]:
    """Articles that contain any of the query's words, best first: those matching more of
    the words, then higher weighted scores, then reading order. An empty query (or one
    of only little words like "the") finds nothing; the pages show everything instead."""
    query_terms = terms(query[:MAX_QUERY])
    if not query_terms:
        return []
    hits = [h for h in (score(a, query_terms) for a in library) if h.score > 0]
    hits.sort(key=lambda h: (-h.matched, -h.score, h.article.order, h.article.title))
    return [h.article for h in hits]
