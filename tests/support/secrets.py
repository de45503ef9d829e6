"""The secrets of the tests, each defined once. None is a real deployment's."""

from __future__ import annotations

from bot.settings import LOCAL_ACK_SECRET

# The ACK_SECRET of every bot a test starts (bot.local): public, in the source.
SECRET = bytes.fromhex(LOCAL_ACK_SECRET)
# For tests that run the real program (`python -m bot`), which refuses the public
# LOCAL_ACK_SECRET: random, made once for the tests.
PROGRAM_SECRET = "7d3f0a9c2be14856a0f3c7e9d21b6a4f58c0e7b3192d4a6f8e05b7c3d9a1f264"
# Test vectors (member keys, custom-id tags) are pinned under this one.
VECTOR_SECRET = bytes(range(32))
