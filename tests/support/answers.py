"""Reading support answers as a person does, for the hotline and resources tests."""

from __future__ import annotations

from bot.emulator.model import Message
from bot.features.hotlines.loader import get_directory
from bot.features.hotlines.render import Page, render_hotline
from bot.i18n.translator import Translator

# The texts of an answer to someone whose Discord is in English.
ENGLISH = Translator().for_locale("en-US")

FINDAHELPLINE = "findahelpline.com"
DANGER = "**If you are in danger right now**\n"
GENERAL = (
    "Call your local emergency number; 112 works from mobiles in the EU and many other countries."
)
# The flag of Wales (a subdivision flag: tag characters), typed as a country.
WALES_FLAG = "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"


def plain(text: str) -> str:
    """What a person reads: markdown escapes removed ("\\*765" shows as "*765")."""
    return text.replace("\\", "")


def read(text: str) -> str:
    """As Discord shows it: escapes and bold markers gone."""
    return plain(text).replace("**", "")


def opening(message: Message) -> str:
    """The first thing a person reads below the title: the first embed's text."""
    assert message.embeds, message.content
    return message.embeds[0].get("description", "")


def hotline_pages(country: str, topic: str) -> list[Page]:
    """The /hotline answer for `country` and `topic`, in English, as the bot renders it."""
    return render_hotline(ENGLISH, get_directory().lookup(country, topic))


def pages_of(country: str, topic: str) -> int:
    """How many messages the /hotline answer for `country` and `topic` takes."""
    return len(hotline_pages(country, topic))
