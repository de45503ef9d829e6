"""`python -m bot check --online` against a pretend internet on 127.0.0.1 (never the
real one): dead pages, moves to another site, pages without their number, refusals;
a dead page shown beside a support line fails the check."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st

from bot.features.history.loader import links as history_links
from bot.features.hotlines.loader import links as hotline_links
from bot.features.hotlines.loader import number_digits
from bot.kit.links import Link
from bot.linkcheck import USER_AGENT, BaseOverride, check_links, digits_text, same_site
from tests.support.program import program_env


@dataclass
class PretendWeb:
    """`GET /HOST/PATH` answers for `https://HOST/PATH`: 200 with `body` unless
    `pages` or `moved` say otherwise. Records every request."""

    body: str = "<html><body>A page.</body></html>"
    pages: dict[str, tuple[int, str]] = field(default_factory=dict)  # "host/path" -> answer
    moved: dict[str, str] = field(default_factory=dict)  # "host/path" -> "/otherhost/path"
    slow: set[str] = field(default_factory=set)  # "host/path" that never answer
    requests: list[tuple[str, str]] = field(default_factory=list)  # (host/path, user agent)
    base: str = ""
    release: asyncio.Event = field(default_factory=asyncio.Event)  # the slow ones, at the end

    async def handle(self, request: web.Request) -> web.StreamResponse:
        key = unquote(request.rel_url.raw_path.lstrip("/"))
        self.requests.append((key, request.headers.get("User-Agent", "")))
        if key in self.slow:
            await self.release.wait()
        if key in self.moved:
            raise web.HTTPFound(self.moved[key])
        status, body = self.pages.get(key, (200, self.body))
        return web.Response(status=status, text=body, content_type="text/html")


@pytest.fixture
async def pretend_web() -> AsyncIterator[PretendWeb]:
    site = PretendWeb()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", site.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    server = web.TCPSite(runner, "127.0.0.1", 0)
    await server.start()
    port = runner.addresses[0][1]
    site.base = f"http://127.0.0.1:{port}"
    try:
        yield site
    finally:
        site.release.set()
        await runner.cleanup()


def key(url: str) -> str:
    parts = urlsplit(url)
    return unquote(f"{parts.netloc}{parts.path or '/'}")


async def check_online(site: PretendWeb, tmp_path: Path) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "check", "--online", "--test-links-base", site.base,
        cwd=tmp_path, env=program_env(DISCORD_TOKEN="tok"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


def row(report: str, link: Link, problem: str = "") -> str:
    """The report's line about `link` (its entry, field and address) and `problem`."""
    found = [line for line in report.splitlines() if line.startswith(problem)
             and f"  {link.where}  " in line and f"  {link.url}  " in f"{line}  "]
    assert len(found) == 1, (link, found)
    return found[0]


async def test_check_online_reports_every_problem_and_fails_on_a_dead_shown_page(
    pretend_web: PretendWeb, tmp_path: Path
) -> None:
    links = hotline_links() + history_links()
    rainn = next(link for link in links if link.where == "hotline us-rainn website")
    history_source = history_links()[0]
    moving = next(link for link in hotline_links()
                  if link.where.endswith(" source") and not link.shown)
    pretend_web.pages[key(rainn.url)] = (200, "<p>Call 800.656.HOPE (4673) or "
                                              "<a href='tel:+18006564673'>1-800-656-4673</a></p>")
    pretend_web.pages[key(history_source.url)] = (404, "gone")
    pretend_web.moved[key(moving.url)] = "/parked-domain.example/for-sale"

    code, report, errors = await check_online(pretend_web, tmp_path)
    assert code == 0, errors  # nothing shown beside a support line is dead
    assert "settings: ok" in report and "data hotlines: ok" in report
    assert "hotline us-rainn website" not in report  # it mentions its number
    dead = row(report, history_source)
    assert dead.startswith("dead ") and "(shown)" not in dead and dead.endswith("HTTP 404")
    assert row(report, moving, "moved").endswith("to https://parked-domain.example/for-sale")
    ndvh = next(link for link in links if link.where == "hotline us-ndvh website")
    missing = row(report, ndvh)  # the pretend page has no number
    assert missing.startswith("number missing (shown)")
    assert "mentions none of 8007997233, 8007873224, 88788" in missing
    assert f"{len({link.url for link in links})} pages for {len(links)} links" in report
    # Each page fetched once, from the pretend web, saying what is asking.
    fetched = [path for path, _ in pretend_web.requests
               if not path.startswith("parked-domain.example")]
    assert len(fetched) == len({link.url for link in links})
    assert set(fetched) == {key(link.url) for link in links}
    assert {agent for _, agent in pretend_web.requests} == {USER_AGENT}

    pretend_web.pages[key(rainn.url)] = (404, "gone")  # the page shown with RAINN's number
    code, report, errors = await check_online(pretend_web, tmp_path)
    assert code == 1
    assert row(report, rainn).startswith("dead (shown)")
    assert errors.strip().splitlines()[-1].startswith("error: a page shown beside a support "
                                                      "line is dead")


async def test_refusals_timeouts_and_loops_are_told_apart(
    pretend_web: PretendWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.linkcheck.TIMEOUT_SECONDS", 0.5)
    links = [
        Link("https://walled.example/", "hotline x website", ("123",), shown=True),
        Link("https://loop.example/a", "hotline y source"),
        Link("https://nowhere.invalid/", "hotline z website", shown=True),
        Link("https://www.moved.example/", "hotline w website", shown=True),
        Link("https://slow.example/", "history event v source"),
    ]
    pretend_web.slow.add("slow.example/")
    pretend_web.pages["walled.example/"] = (403, "bots not welcome")
    pretend_web.moved["loop.example/a"] = "/loop.example/a"
    pretend_web.moved["www.moved.example/"] = "/moved.example/new-home"
    report, failed = await check_links(links, BaseOverride(pretend_web.base))
    lines = report.splitlines()
    assert any(line.startswith("blocked (shown)") and "check it by hand" in line
               for line in lines)
    assert any(line.startswith("dead ") and "redirects in a loop" in line for line in lines)
    assert any(line.startswith("dead ") and "no answer in 0.5 s" in line for line in lines)
    assert not failed  # a refusal and a dead source: nothing shown is dead
    assert "hotline w website" not in report  # www. and back: the same site

    pretend_web.pages["nowhere.invalid/"] = (503, "down")
    report, failed = await check_links(links, BaseOverride(pretend_web.base))
    assert failed and "HTTP 503" in report


def test_a_test_base_must_stay_on_this_machine() -> None:
    for base in ("https://127.0.0.1:8080", "http://example.org", "http://10.0.0.1:80"):
        with pytest.raises(ValueError):
            BaseOverride(base)
    override = BaseOverride("http://127.0.0.1:8080/")
    assert override.fetch_url("https://rainn.org/get-help?x=1") == \
        "http://127.0.0.1:8080/rainn.org/get-help?x=1"
    assert override.original("http://127.0.0.1:8080/other.example") == "https://other.example/"


def test_redirects_within_a_site_are_not_moves() -> None:
    assert same_site("https://rainn.org", "https://www.rainn.org/")
    assert same_site("https://rainn.org/x", "https://hotline.rainn.org/online")
    assert not same_site("https://rainn.org", "https://rainn.org.example.com/")
    assert not same_site("https://old-charity.org", "https://casino.example/")


@given(st.lists(st.text(alphabet="0123456789", min_size=1, max_size=4), min_size=1,
                max_size=5),
       st.lists(st.sampled_from([" ", "-", ".", "&nbsp;", ") ", " (", "/", "\u2011"]),
                min_size=4, max_size=4))
def test_a_number_is_found_however_the_page_groups_it(groups: list[str],
                                                      separators: list[str]) -> None:
    written = groups[0] + "".join(sep + group for sep, group in
                                  zip(separators, groups[1:], strict=False))
    page = f"<p>Call <b>{written}</b> any time.</p>"
    assert "".join(groups) in digits_text(page)


def test_numbers_are_looked_for_without_trunk_prefix_or_country_code() -> None:
    assert number_digits("0808 802 9999", "GB", short=False) == "8088029999"
    assert number_digits("+44 808 802 9999", "GB", short=False) == "8088029999"
    assert number_digits("116 123", "GB", short=True) == "116123"
