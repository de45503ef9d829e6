"""The shape of the code (one package per feature; arrows run from features to
kit, i18n and storage, never back), asserted on the source.

- Pure modules import nothing from discord, directly or through another module
  of the bot: kit's cards, content, custom_ids, countries, safe_text and text; the
  translator; all of storage; the legacy core/ and text/ (until phase B moves
  them); and in every feature package its model, loader, directory, rules,
  search, topics, noise, export, render and text modules.
- features -> kit, i18n, storage: kit and storage never import a feature.
- No feature imports another feature's internals: only the other package
  itself, and only the names its __init__ lists in __all__.
- The emulator imports nothing of the bot.
"""

from __future__ import annotations

import ast
from collections import deque
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOT = ROOT / "bot"
FEATURES = BOT / "features"

DISCORD = ("discord", "aiohttp")
PURE_KIT = ("cards", "content", "custom_ids", "countries", "links", "safe_text", "text")
PURE_FEATURE_MODULES = ("model", "loader", "directory", "rules", "search", "topics", "noise",
                        "export", "render", "text")

def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_path(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) \
        and node.test.id == "TYPE_CHECKING"


def imports(path: Path, *, runtime_only: bool = False) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names imported from it) for every import in `path`; relative
    imports resolved. `runtime_only` leaves out `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if runtime_only:
        for node in ast.walk(tree):
            if _type_checking_only(node):
                skipped.update(id(n) for n in ast.walk(node))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.extend((alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *filter(None, [base])])
            names = tuple(alias.name for alias in node.names)
            found.append((base, names))
            # `from bot.features import help` imports the module bot.features.help
            found.extend((f"{base}.{n}", ()) for n in names if module_path(f"{base}.{n}"))
    return found


def imported_modules(path: Path) -> frozenset[str]:
    return frozenset(name for name, _ in imports(path))


@cache
def module_imports(name: str) -> tuple[str, ...]:
    """What module `name` of the bot imports, sorted (nothing if it is not one)."""
    path = module_path(name)
    return tuple(sorted(imported_modules(path))) if path else ()


@cache
def reaches_discord(name: str) -> str | None:
    """The chain by which module `name` of the bot imports discord, or None.
    Breadth first, so the shortest chain, and an import cycle (a package whose
    __init__ re-exports from a module that imports bot.app) ends."""
    came_from: dict[str, str] = {}
    queue = deque([name])
    while queue:
        current = queue.popleft()
        for imported in module_imports(current):
            if imported.startswith(DISCORD):
                chain = [current]
                while chain[-1] in came_from:
                    chain.append(came_from[chain[-1]])
                return " -> ".join(reversed(chain)) + f" imports {imported}"
            if imported.startswith("bot.") and imported != name and imported not in came_from:
                came_from[imported] = current
                queue.append(imported)
    return None


def pure_modules() -> list[str]:
    names = [f"bot.kit.{m}" for m in PURE_KIT] + ["bot.i18n.translator"]
    for folder in ("storage", "core", "text"):
        names += [module_name(p) for p in sorted((BOT / folder).rglob("*.py"))]
    for package in feature_packages():
        names += [module_name(p) for p in sorted(package.rglob("*.py"))
                  if p.stem in PURE_FEATURE_MODULES]
    return names


def feature_packages() -> list[Path]:
    return sorted(p.parent for p in FEATURES.glob("*/__init__.py"))


def offenders(package: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = (), *,
              runtime_only: bool = False) -> list[str]:
    found = []
    for path in sorted((BOT / package).rglob("*.py")):
        for name, _ in imports(path, runtime_only=runtime_only):
            if name.startswith(forbidden) and not name.startswith(allowed):
                found.append(f"{path.relative_to(BOT)} imports {name}")
    return found


def test_pure_modules_import_nothing_from_discord() -> None:
    names = pure_modules()
    assert {"bot.kit.cards", "bot.storage.sqlite.backend", "bot.features.help.render",
            "bot.features.help.text"} <= set(names)
    assert [chain for name in names if (chain := reaches_discord(name))] == []


def test_kit_and_storage_never_import_a_feature() -> None:
    features = ("bot.features", "bot.app")
    # kit may name MetooBot for the type checker only (kit/cog.py).
    assert offenders("kit", features, runtime_only=True) == []
    assert offenders("storage", (*features, "bot.kit", "bot.i18n", "bot.settings")) == []
    assert offenders("i18n", features) == []


def test_the_emulator_knows_nothing_of_the_bot() -> None:
    assert offenders("emulator", ("bot", "discord"), allowed=("bot.emulator",)) == []


def owner(module: str) -> str | None:
    """The feature a module belongs to, or None (kit, storage, i18n, ...)."""
    parts = module.split(".")
    if parts[:2] == ["bot", "features"] and len(parts) > 2:
        return parts[2]
    return None


def public_names(feature: str) -> set[str] | None:
    """What a feature package offers others (its __all__); None if not a package."""
    init = FEATURES / feature / "__init__.py"
    if not init.is_file():
        return None
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            assert node.value is not None
            return set(ast.literal_eval(node.value))
    return set()


def internals_used_across_features() -> list[str]:
    found = []
    for package in feature_packages():
        feature = package.name
        for path in sorted(package.rglob("*.py")):
            for module, names in imports(path):
                other = owner(module)
                if other is None or other == feature:
                    continue
                where = f"{path.relative_to(BOT)} imports {module}"
                if module != f"bot.features.{other}":
                    found.append(f"{where}: an internal of {other}")
                    continue
                offered = public_names(other)
                if offered is not None and not set(names) <= offered:
                    found.append(f"{where}: {sorted(set(names) - offered)} not in its __all__")
    return found


# The shape every newcomer should find: one package per feature, the shared kit,
# the translator, storage with a backend per database. Names may change; a
# feature's code outside its package may not come back.
FEATURE_NAMES = {"help", "hotlines", "resources", "history", "metoo", "privacy", "config",
                 "lifecycle"}
KIT_MODULES = {"respond", "checks", "fallback", "cog", "cards", "embeds", "custom_ids",
               "countries", "safe_text", "text"}


def test_the_layout_is_one_package_per_feature() -> None:
    assert {p.name for p in feature_packages()} == FEATURE_NAMES
    assert sorted(p.name for p in FEATURES.glob("*.py")) == ["__init__.py"]  # no loose cogs
    assert {p.stem for p in (BOT / "kit").glob("*.py")} >= KIT_MODULES
    assert (BOT / "i18n" / "translator.py").is_file()
    for backend in ("sqlite", "postgres"):
        assert (BOT / "storage" / backend / "backend.py").is_file()
        assert any((BOT / "storage" / backend / "migrations").glob("001_*.sql"))
    packages = {p.name for p in BOT.iterdir() if (p / "__init__.py").is_file()}
    assert packages == {"emulator", "features", "i18n", "kit", "storage"}
    for feature in ("hotlines", "history"):
        assert list((FEATURES / feature / "data").glob("*.toml"))


def test_no_feature_imports_another_features_internals() -> None:
    assert "help" in [p.name for p in feature_packages()]
    assert all((p / "cog.py").is_file() and (p / "text.py").is_file()
               for p in feature_packages())
    assert internals_used_across_features() == []


def test_the_checker_sees_each_kind_of_import(tmp_path: Path) -> None:
    assert "discord" in imported_modules(BOT / "app.py")
    assert reaches_discord("bot.kit.respond") == "bot.kit.respond imports discord"
    assert reaches_discord("bot.kit.cards") is None
    # bot.local imports bot.app, which is in an import cycle (app -> the metoo
    # package's API -> its cog -> kit -> app, for the type checker): the walk ends.
    assert reaches_discord("bot.local") is not None
    assert owner("bot.features.hotlines.render") == "hotlines" == owner("bot.features.hotlines")
    assert owner("bot.kit.cards") is None
    help_cog = FEATURES / "help" / "cog.py"
    assert ("bot.features.hotlines", ("emergency_text",)) in imports(help_cog)
    assert public_names("help") == set()


def test_the_mention_guard_flags_a_message_that_could_ping() -> None:
    from bot.emulator.server import Call, DiscordEmulator
    from tests.support.messages import unguarded_messages

    emu = DiscordEmulator()
    emu.calls = [
        Call(
            "POST", "/channels/1/messages", {}, {"content": "hi", "allowed_mentions": {"parse": []}}
        ),
        Call("POST", "/channels/1/messages", {}, {"content": "@everyone hi"}),
        Call(
            "POST",
            "/interactions/1/t/callback",
            {},
            {"type": 4, "data": {"content": "x", "allowed_mentions": {"parse": ["everyone"]}}},
        ),
    ]
    assert unguarded_messages(emu) == [
        "POST /channels/1/messages",
        "POST /interactions/1/t/callback",
    ]
