"""DISCORD_API_BASE_URL and DISCORD_GATEWAY_URL (issue 11, point 11): every call
carries the bot token, so an endpoint is encrypted unless it stays on this
machine (localhost, 127.0.0.0/8, ::1)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import SettingsError, load_settings

TOKEN = "MTIz.fake.token-for-tests"


def load(**env: str):
    return load_settings(environ={"DISCORD_TOKEN": TOKEN, **env}, env_file=None)


def refused(variable: str, value: str) -> SettingsError:
    with pytest.raises(SettingsError) as caught:
        load(**{variable: value})
    assert caught.value.variable == variable
    message = str(caught.value)
    assert message.startswith(f"{variable}: ") and "\n" not in message
    return caught.value


@pytest.mark.parametrize("host", [
    "127.0.0.1", "127.0.0.1:8080", "127.9.8.7:1", "localhost", "LOCALHOST:5000", "[::1]:8080",
])
def test_plain_http_and_ws_are_accepted_on_loopback(host: str) -> None:
    s = load(DISCORD_API_BASE_URL=f"http://{host}/api/v10/",
             DISCORD_GATEWAY_URL=f"ws://{host}/gateway")
    assert s.api_base_url == f"http://{host}/api/v10"
    assert s.gateway_url == f"ws://{host}/gateway"


@pytest.mark.parametrize("host", [
    "discord.com", "proxy.internal:8080", "10.0.0.5", "192.168.1.2:80", "[::ffff:7f00:1]",
    "[fe80::1]", "0.0.0.0", "128.0.0.1", "localhost.example.org", "127.0.0.1.example.org",
    "example.org#@127.0.0.1", "user@example.org",
])
def test_plain_http_and_ws_elsewhere_are_refused(host: str) -> None:
    assert "https://" in str(refused("DISCORD_API_BASE_URL", f"http://{host}/api/v10"))
    assert "wss://" in str(refused("DISCORD_GATEWAY_URL", f"ws://{host}/gateway"))


def test_encrypted_endpoints_are_accepted_anywhere() -> None:
    s = load(DISCORD_API_BASE_URL="https://ratelimit-proxy.internal:8443/api/v10",
             DISCORD_GATEWAY_URL="wss://gateway-proxy.internal/")
    assert s.api_base_url == "https://ratelimit-proxy.internal:8443/api/v10"
    assert s.gateway_url == "wss://gateway-proxy.internal/"


@pytest.mark.parametrize("value", ["ftp://127.0.0.1/api", "https://", "http://[::1", "https://x:port/"])
def test_malformed_endpoints_are_refused(value: str) -> None:
    refused("DISCORD_API_BASE_URL", value)


@given(st.ip_addresses())
def test_any_address_is_plain_only_on_loopback(address: ipaddress.IPv4Address
                                               | ipaddress.IPv6Address) -> None:
    host = f"[{address}]" if address.version == 6 else str(address)
    url = f"http://{host}:8080/api/v10"
    if address.is_loopback:
        assert load(DISCORD_API_BASE_URL=url).api_base_url == url
    else:
        assert url not in str(refused("DISCORD_API_BASE_URL", url))
    assert load(DISCORD_API_BASE_URL=f"https://{host}/api").api_base_url == f"https://{host}/api"


@given(st.text(min_size=1, max_size=60))
def test_any_text_is_either_a_safe_endpoint_or_one_line_naming_the_variable(raw: str) -> None:
    value = raw.strip()
    try:
        s = load(DISCORD_API_BASE_URL=value)
    except SettingsError as exc:
        assert exc.variable == "DISCORD_API_BASE_URL" and "\n" not in str(exc)
    else:
        if not value:
            return  # empty: the default
        assert s.api_base_url.startswith(("https://", "http://"))
        if s.api_base_url.startswith("http://"):
            host = urlsplit(s.api_base_url).hostname or ""
            assert host == "localhost" or ipaddress.ip_address(host).is_loopback
