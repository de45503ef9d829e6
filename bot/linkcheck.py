"""`python -m bot check --online`: fetch every website and source the content links to.

Reports dead pages, pages that moved to another site, pages that no longer
mention their entry's number, and pages that refuse automated checks; prints a
table of them and fails (exit 1) when a page shown beside a support line is dead.

Each page is fetched once (GET, redirects followed), a few at a time and at most
two per site, with a timeout and a user agent that says what this is. Tests point
every link at a local server with `--test-links-base` (a loopback http URL only):
`https://rainn.org/get-help` is then fetched as `BASE/rainn.org/get-help`.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from bot.kit.links import Link
from bot.settings import is_loopback_host

USER_AGENT = ("metoo-bot-link-check/1.0 (checks that the support-line and history pages a "
              "Discord bot links to still exist; one request per page)")
CONCURRENCY = 8
PER_SITE = 2
TIMEOUT_SECONDS = 20.0
MAX_PAGE_BYTES = 3_000_000
# Refusals that say nothing about whether the page exists (bot walls, rate limits).
BLOCKED = frozenset({401, 403, 429})

_TAG = re.compile(r"<[^>]*>")
# Spaces, dashes, dots, brackets and slashes between two digits ("0808 802-9999",
# "(011) 5275", "&nbsp;" once unescaped) go, so a number reads as its digits.
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s().\-/\u00a0\u2010-\u2015]+(?=\d)")


@dataclass(frozen=True, slots=True)
class Page:
    """What fetching a URL gave: the final URL and status, or the error."""

    url: str
    status: int | None = None
    final_url: str | None = None
    error: str | None = None
    digits_text: str = ""  # the page's text with every run of grouped digits joined


@dataclass(frozen=True, slots=True)
class Finding:
    problem: str  # "dead", "moved", "number missing", "blocked"
    detail: str
    link: Link

    @property
    def fails(self) -> bool:
        return self.problem == "dead" and self.link.shown


class BaseOverride:
    """Test-only: every link fetched from a local server instead of the internet."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        if parts.scheme != "http" or not is_loopback_host(parts.hostname):
            raise ValueError("--test-links-base must be an http:// URL on this machine")
        self.base = base.rstrip("/")

    def fetch_url(self, url: str) -> str:
        parts = urlsplit(url)
        query = f"?{parts.query}" if parts.query else ""
        return f"{self.base}/{parts.netloc}{parts.path or '/'}{query}"

    def original(self, fetched: str) -> str:
        if not fetched.startswith(self.base + "/"):
            return fetched
        rest = fetched[len(self.base) + 1:]
        return f"https://{rest}" if "/" in rest else f"https://{rest}/"


def digits_text(body: str) -> str:
    text = html.unescape(body)
    joined = _BETWEEN_DIGITS.sub("", text) + "\n" + _BETWEEN_DIGITS.sub("", _TAG.sub(" ", text))
    return joined


def same_site(before: str, after: str) -> bool:
    """Whether a redirect stayed on the same site: the same host, give or take
    `www.`, or one a subdomain of the other (rainn.org -> hotline.rainn.org)."""
    a = (urlsplit(before).hostname or "").removeprefix("www.")
    b = (urlsplit(after).hostname or "").removeprefix("www.")
    return a == b or a.endswith("." + b) or b.endswith("." + a)


async def fetch(session: aiohttp.ClientSession, url: str, override: BaseOverride | None,
                sites: dict[str, asyncio.Semaphore], everyone: asyncio.Semaphore) -> Page:
    site = urlsplit(url).hostname or ""
    per_site = sites.setdefault(site, asyncio.Semaphore(PER_SITE))
    target = override.fetch_url(url) if override else url
    async with everyone, per_site:
        try:
            async with session.get(target, allow_redirects=True) as response:
                final = str(response.url)
                text = decode(await read_some(response.content), response.charset)
                return Page(url, response.status,
                            override.original(final) if override else final,
                            digits_text=digits_text(text))
        except TimeoutError:
            return Page(url, error=f"no answer in {TIMEOUT_SECONDS:g} s")
        except aiohttp.TooManyRedirects:
            return Page(url, error="redirects in a loop")
        except aiohttp.ClientSSLError:
            return Page(url, error="TLS certificate refused")
        except aiohttp.ClientConnectorError:
            return Page(url, error="cannot connect (name not found or refused)")
        except aiohttp.ClientError as exc:
            return Page(url, error=type(exc).__name__)


async def read_some(stream: aiohttp.StreamReader) -> bytes:
    """The body, up to MAX_PAGE_BYTES (a number is near the top of any page)."""
    body = bytearray()
    while len(body) < MAX_PAGE_BYTES:
        chunk = await stream.read(MAX_PAGE_BYTES - len(body))
        if not chunk:
            break
        body += chunk
    return bytes(body)


def decode(body: bytes, charset: str | None) -> str:
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return body.decode("utf-8", errors="replace")


async def fetch_all(urls: Iterable[str], override: BaseOverride | None = None) -> dict[str, Page]:
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    everyone = asyncio.Semaphore(CONCURRENCY)
    sites: dict[str, asyncio.Semaphore] = {}
    async with aiohttp.ClientSession(timeout=timeout, headers={"User-Agent": USER_AGENT},
                                     trust_env=False) as session:
        pages = await asyncio.gather(*(fetch(session, url, override, sites, everyone)
                                       for url in dict.fromkeys(urls)))
    return {page.url: page for page in pages}


def findings(links: Iterable[Link], pages: dict[str, Page]) -> list[Finding]:
    found: list[Finding] = []
    for link in links:
        page = pages[link.url]
        if page.error is not None:
            found.append(Finding("dead", page.error, link))
        elif page.status is not None and page.status >= 400:
            if page.status in BLOCKED:
                found.append(Finding("blocked", f"HTTP {page.status}: check it by hand", link))
            else:
                found.append(Finding("dead", f"HTTP {page.status}", link))
        else:
            if page.final_url is not None and not same_site(link.url, page.final_url):
                found.append(Finding("moved", f"to {page.final_url}", link))
            if link.digits and not any(d in page.digits_text for d in link.digits):
                found.append(Finding("number missing",
                                     "mentions none of " + ", ".join(link.digits), link))
    return found


def table(found: list[Finding]) -> str:
    """The findings as a plain table, shown pages first."""
    rows = [("problem", "where", "url", "detail")]
    for f in sorted(found, key=lambda f: (not f.link.shown, f.problem, f.link.where)):
        problem = f.problem + (" (shown)" if f.link.shown else "")
        rows.append((problem, f.link.where, f.link.url, f.detail))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join("  ".join([*(cell.ljust(w) for cell, w in zip(row[:3], widths,
                                                                      strict=True)), row[3]])
                     .rstrip() for row in rows)


def summary(links: list[Link], pages: dict[str, Page], found: list[Finding]) -> str:
    counts = {problem: sum(f.problem == problem for f in found)
              for problem in ("dead", "moved", "number missing", "blocked")}
    return (f"links online: {len(pages)} pages for {len(links)} links; "
            + ", ".join(f"{n} {problem}" for problem, n in counts.items()))


async def check_links(links: list[Link], override: BaseOverride | None = None
                      ) -> tuple[str, bool]:
    """The report (table and summary) and whether a shown page is dead."""
    pages = await fetch_all((link.url for link in links), override)
    found = findings(links, pages)
    report = (table(found) + "\n" if found else "") + summary(links, pages, found)
    return report, any(f.fails for f in found)
