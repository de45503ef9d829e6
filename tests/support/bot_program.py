"""`python -m bot`, with Discord's 5-second IDENTIFY window shortened, for tests
whose emulator shortens it too (several shard processes start in seconds, not
tens of seconds). Nothing else differs from the real program.

    python -m tests.support.bot_program WINDOW_SECONDS [python -m bot arguments]
"""

from __future__ import annotations

import sys

from bot import sharding
from bot.__main__ import main

if __name__ == "__main__":
    sharding.IDENTIFY_WINDOW_SECONDS = float(sys.argv[1]) + sharding.IDENTIFY_MARGIN_SECONDS
    sys.exit(main(sys.argv[2:]))
