"""The psychoeducation library: the articles ship with the package and keep their promises
(length, plain language, a "Try this" box, a note on more help, further reading), the
renderer lets nothing unsafe through, search ranks sensibly, and reading is recorded."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.resources import files

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from mend.identity.models import User
from mend.language.traps_catalogue import CATALOGUE
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.settings import Settings
from mend.practice import homework_rules, library
from mend.practice.homework import LibraryRead
from mend.practice.library import Article, ArticleError, parse_article, render, search
from mend.practice.tools_pages import TILES
from tests.practice.test_homework import mounted
from tests.support.personas import Personas
from tests.support.web import Browser


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    return mounted(settings, factory, clock)


# --- the renderer ---


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Hello there.", "<p>Hello there.</p>"),
        ("One line\nsame paragraph", "<p>One line same paragraph</p>"),
        ("First\n\nSecond", "<p>First</p>\n<p>Second</p>"),
        ("## A heading", '<h2 id="a-heading">A heading</h2>'),
        ("### Smaller", '<h3 id="smaller">Smaller</h3>'),
        ("# Not a title", "<p># Not a title</p>"),
        ("- one\n- two", "<ul><li>one</li><li>two</li></ul>"),
        ("1. one\n2. two", "<ol><li>one</li><li>two</li></ol>"),
        ("- one\n  continued", "<ul><li>one continued</li></ul>"),
        ("- a\n1. b", "<ul><li>a</li></ul>\n<ol><li>b</li></ol>"),
        ("**bold** and *soft*", "<p><strong>bold</strong> and <em>soft</em></p>"),
        ("**bold *soft* word**", "<p><strong>bold <em>soft</em> word</strong></p>"),
        ("[Journal](/me/journal/new)", '<p><a href="/me/journal/new">Journal</a></p>'),
        ("[Below](#trap-labeling)", '<p><a href="#trap-labeling">Below</a></p>'),
        ("[q](/me/library?q=trust)", '<p><a href="/me/library?q=trust">q</a></p>'),
        ("2 * 3 * 4", "<p>2 * 3 * 4</p>"),
        ("Ben & Jerry's <3", "<p>Ben &amp; Jerry&#x27;s &lt;3</p>"),
    ],
)
def test_renderer_handles_what_the_articles_use(source: str, expected: str) -> None:
    assert str(render(source)) == expected


@pytest.mark.parametrize(
    ("source", "must_not_contain", "keeps"),
    [
        ("<script>alert(1)</script>", "<script", "&lt;script&gt;"),
        ("<img src=x onerror=alert(1)>", "<img", "&lt;img"),
        ("[click](javascript:alert(1))", "href", "click"),
        ("[click](https://evil.example/)", "href", "click"),
        ("[click](//evil.example/path)", "href", "click"),
        ('[click](/me" onmouseover="alert(1))', 'onmouseover="', "click"),
        ("[click](data:text/html,hi)", "href", "click"),
        ("[**x**](/me/tools)", "<strong><a", "<a href"),
        ("## <b>Heading</b>", "<b>", "&lt;b&gt;"),
        ("- [x](mailto:someone@example.org)", "mailto", "<li>x</li>"),
    ],
)
def test_renderer_lets_nothing_unsafe_through(
    source: str, must_not_contain: str, keeps: str
) -> None:
    html = str(render(source))
    assert must_not_contain not in html
    assert keeps in html


def test_boxes_and_inserts() -> None:
    html = str(render(":::try\nBreathe.\n- in\n- out\n:::", inserts={}))
    assert html.startswith('<aside class="try-this" aria-labelledby="try-this">')
    assert '<h2 id="try-this">Try this</h2>' in html and "<ul><li>in</li>" in html
    assert html.endswith("</aside>")
    assert 'class="more-help"' in str(render(":::help\nCall.\n:::"))
    assert '<h2 id="your-own">Your own</h2>' in str(render(":::try Your own\nx\n:::"))
    assert str(render("[[thing]]", inserts={"thing": "<b>ok</b>"})) == "<b>ok</b>"
    # The same heading twice still gives unique anchors.
    assert 'id="again-2"' in str(render("## Again\n\n## Again"))


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        (":::try\nnever closed", "never closed"),
        (":::shout\nx\n:::", "unknown box"),
        (":::try\n:::help\nx\n:::\n:::", "cannot hold another box"),
        ("stray\n:::", "never opened"),
        ("[[nothing]]", "unknown insert"),
    ],
)
def test_malformed_bodies_are_refused(source: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        render(source, inserts={})


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no front matter", "front matter"),
        ("---\nid: x\n---\nbody", "missing title, summary, minutes, tags"),
        ("---\nid: Bad Id\ntitle: t\nsummary: s\nminutes: 1\ntags: a\n---\n", "lower-case"),
        ("---\nid: ok\ntitle: t\nsummary: s\nminutes: two\ntags: a\n---\n", "whole numbers"),
        ("---\nid: ok\ntitle: t\nsummary: s\nminutes: 1\ntags: a\n---\n:::try\n", "never closed"),
        ("---\nid: ok\ntitle\n---\n", "has no ':'"),
    ],
)
def test_broken_article_files_are_refused_at_load(text: str, problem: str) -> None:
    with pytest.raises(ArticleError, match=problem):
        parse_article(text, name="broken.md")


def test_front_matter_values_can_be_quoted() -> None:
    a = parse_article('---\nid: q\ntitle: "A: B"\nsummary: s\nminutes: 2\ntags: x, y z\n---\nHi.')
    assert (a.title, a.tags, a.minutes, a.order, str(a.html)) == (
        "A: B",
        ("x", "y z"),
        2,
        100,
        "<p>Hi.</p>",
    )


# --- search ---


def _art(id: str, title: str, summary: str = "", tags: str = "", body: str = "") -> Article:
    return Article(id, title, summary, 1, tuple(t.strip() for t in tags.split(",") if t), body)


TOY = (
    _art("a", "Boundaries", "Saying no kindly", "assertiveness", "Set a limit. " * 3),
    _art("b", "Trust after betrayal", "Trusting again", "trust", "Boundaries matter here too."),
    _art("c", "Breathing", "Calm your body", "calm", "Slow breathing helps you feel calmer."),
    _art("d", "Acting on values", "ACT", "act", "Action and acceptance."),
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("boundaries", ["a", "b"]),  # title beats a mention in the body
        ("boundary", ["a", "b"]),  # plural and singular meet
        ("BOUNDARIES!", ["a", "b"]),  # case and punctuation don't matter
        ("trusting", ["b"]),
        ("betrayed", ["b"]),  # "betray" finds "betrayal"
        ("calm trust", ["b", "c"]),  # one word each: title, summary and tag beat the rest
        ("calm breathing", ["c"]),
        ("act", ["d"]),  # short words match whole words only, not "action"
        ("the and of", []),  # only little words
        ("", []),
        ("zebra", []),
    ],
)
def test_search_ranks_by_words_matched_then_weight(query: str, expected: list[str]) -> None:
    assert [a.id for a in search(TOY, query)] == expected


def test_search_prefers_articles_matching_more_of_the_words() -> None:
    # "many" says calm everywhere; "both" has each word once, and still comes first.
    both = _art("both", "Trust", "calm", "", "")
    many = _art("many", "Calm", "calm", "calm", "calm calm calm calm")
    assert [a.id for a in search((many, both), "calm trust")] == ["both", "many"]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("rejection sensitivity", "rejection-sensitivity"),
        ("window of tolerance", "window-of-tolerance"),
        ("numb shutdown", "window-of-tolerance"),
        ("thinking traps", "thinking-traps"),
        ("inner critic", "self-compassion"),
        ("saying no", "boundaries"),
        ("EMDR", "therapy-options"),
        ("intensive outpatient", "therapy-options"),
        ("betrayal", "trauma-and-trust"),
        ("safe people", "support-networks"),
        ("trust myself", "rebuilding-trust"),
        ("rejection body", "rejection-mind-body"),
    ],
)
def test_searching_the_real_library(query: str, first: str) -> None:
    assert search(library.articles(), query)[0].id == first


# --- the articles themselves ---

ARTICLES = library.articles()
KNOWN_PAGES = (
    {t.url for t in TILES}
    | {t.url for t in homework_rules.TOOLS}
    | {f"/me/library/{a.id}" for a in ARTICLES}
)


def _syllables(word: str) -> int:
    word = re.sub(r"[^a-z]", "", word.lower())
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word.removeprefix("y"))))


def grade_level(text: str) -> float:
    """Flesch-Kincaid grade, counting each line (heading, list item) as a sentence too."""
    sentences = [
        s for line in text.splitlines() for s in re.split(r"[.!?]+(?:\s+|$)", line) if s.strip()
    ]
    words = text.split()
    syllables = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59


def test_the_articles_ship_with_the_package() -> None:
    shipped = sorted(
        p.name
        for p in files("mend.practice").joinpath("library").iterdir()
        if p.name.endswith(".md")
    )
    assert shipped == sorted(f"{a.id}.md" for a in ARTICLES)
    assert {a.id for a in ARTICLES} == {
        "rejection-mind-body",
        "rejection-sensitivity",
        "trauma-and-trust",
        "window-of-tolerance",
        "thinking-traps",
        "self-compassion",
        "boundaries",
        "rebuilding-trust",
        "support-networks",
        "therapy-options",
    }


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_each_article_keeps_the_librarys_promises(article: Article) -> None:
    html = str(article.html)
    assert 350 <= article.words <= 700
    assert abs(article.minutes - article.words / 200) <= 1.5  # about 200 words a minute
    assert grade_level(library.plain_text(article.body)) <= 9  # plain language
    assert html.count("<h2") >= 3
    assert html.count('class="try-this"') == 1
    assert html.count('class="more-help"') == 1
    help_box = html.split('class="more-help"', 1)[1]
    assert "crisis lines" in help_box and "/me/safety-plan" in help_box
    further = re.findall(r"<strong>Further reading:</strong>(.*)</p>", html)
    assert len(further) == 1 and 1 <= further[0].count("<em>") <= 3
    assert article.summary and article.tags
    for href in re.findall(r'href="([^"]+)"', html):
        assert href.split("#")[0] in KNOWN_PAGES, href


def test_thinking_traps_come_from_the_catalogue_not_a_copy() -> None:
    article = library.article("thinking-traps")
    assert article is not None
    html = str(article.html)
    for trap in CATALOGUE:
        assert f'id="trap-{trap.id}"' in html and trap.name in html
        # The explanations live only in the catalogue, never in the article file.
        assert trap.explanation[:40] not in article.body
    assert len(CATALOGUE) == 13


def test_coping_addresses_name_real_coping_tools() -> None:
    catalogue = pytest.importorskip("mend.practice.coping_catalogue")
    for tool in homework_rules.TOOLS:
        if tool.id.startswith("coping:"):
            assert catalogue.tool(tool.url.removeprefix("/me/coping/")) is not None, tool


# --- pages ---


def test_client_browses_searches_and_reads(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    page = kim.get("/me/library")
    assert page.status_code == 200
    assert all(a.title.replace("'", "&#39;") in page.text for a in ARTICLES[:3])
    found = kim.get("/me/library", params={"q": "boundaries"})
    assert "Boundaries" in found.text and "for “boundaries”" in found.text
    nothing = kim.get("/me/library", params={"q": "zebra"})
    assert "Nothing matched" in nothing.text
    article = kim.get("/me/library/window-of-tolerance")
    assert article.status_code == 200
    assert "Try this" in article.text and "<script" not in article.text
    kim.get("/me/library/window-of-tolerance")
    read = db.scalars(select(LibraryRead)).one()
    assert (read.client_id, read.article_id, read.times) == (
        people.kim.id,
        "window-of-tolerance",
        2,
    )
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "library.read")).all()
    assert len(events) == 2 and {e.client_id for e in events} == {people.kim.id}


def test_a_long_search_gets_a_clear_message(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    response = as_user(people.kim.user).get("/me/library", params={"q": "x" * 101})
    assert response.status_code == 422
    assert "fewer words" in response.text


def test_unknown_articles_are_not_found_and_nothing_is_recorded(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    for path in ("/me/library/nope", "/me/library/..%2Fpages", "/clinic/library/nope"):
        assert kim.get(path).status_code == 404
    assert db.scalar(select(func.count()).select_from(LibraryRead)) == 0


def test_clinicians_preview_without_recording_and_clients_cannot_use_clinic_pages(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    assert "Self-compassion" in carol.get("/clinic/library", params={"q": "kindness"}).text
    preview = carol.get("/clinic/library/boundaries")
    assert preview.status_code == 200 and "Preview" in preview.text
    assert carol.get("/me/library").status_code == 404
    assert as_user(people.kim.user).get("/clinic/library").status_code == 404
    assert db.scalar(select(func.count()).select_from(LibraryRead)) == 0


def test_two_first_reads_at_once_are_both_counted(
    db: Session, people: Personas, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mend.practice import homework

    kim = people.kim
    homework.record_read(db, client=kim, actor=kim.user, article_id="boundaries", now=clock.now())
    db.flush()
    # The other tab's row is not visible yet: the insert meets the unique constraint.
    monkeypatch.setattr(db, "scalar", lambda *args, **kwargs: None)
    row = homework.record_read(
        db, client=kim, actor=kim.user, article_id="boundaries", now=clock.now()
    )
    monkeypatch.undo()
    db.commit()
    assert row.times == 2
    assert db.scalar(select(func.count()).select_from(LibraryRead)) == 1
