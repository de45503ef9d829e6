"""deploy/: the systemd units, the Dockerfile and the compose file, checked as far as
this machine can without a container engine or a systemd to run them (images cannot
be pulled here): systemd-analyze verifies the units, every path the image copies
exists, every command they start is a program command whose --help works, every
variable they set is a documented setting, and the compose file parses into the
services deploy/README.md describes."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.support.program import REPO, program_env

DEPLOY = REPO / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
# Where the units expect the checkout (with its .venv); the test moves it to a
# temporary folder, the one thing of an install an operator may choose.
CHECKOUT = "/opt/metoo-bot"
# Python's own variables, which an image may set beside the bot's settings.
PYTHON_VARIABLES = re.compile(r"PYTHON[A-Z]+")


def documented_settings() -> set[str]:
    """Every setting config.example.env documents, set there or shown commented."""
    text = (REPO / "config.example.env").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def run_help(args: list[str],
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python ARGS --help` from deploy/, not the checkout's root: the code is found
    through PYTHONPATH, as in the image."""
    return subprocess.run([sys.executable, *args, "--help"], cwd=REPO / "deploy",
                          env=program_env(**(env or {})), capture_output=True, text=True,
                          timeout=60)


def assert_program_command(argv: list[str], env: dict[str, str] | None = None) -> None:
    """`argv` (after the interpreter) runs a command of the program, whose --help works."""
    assert argv[:2] == ["-m", "bot"], argv
    from bot.__main__ import COMMANDS

    assert len(argv) == 3 and argv[2] in COMMANDS, argv
    result = run_help(argv, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: python -m bot {argv[2]}"), result.stdout


# -- systemd ------------------------------------------------------------------------


def unit_entries(path: Path) -> list[tuple[str, str, str]]:
    """(section, key, value) of a unit file, in order (keys may repeat)."""
    entries, section = [], ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        entries.append((section, key.strip(), value.strip()))
    return entries


def unit_values(path: Path, key: str) -> list[str]:
    return [value for section, k, value in unit_entries(path) if k == key]


def systemd_analyze() -> str:
    """The systemd-analyze program; the test skips without it, except in CI (.ci/run
    installs it and says it must be there)."""
    found = shutil.which("systemd-analyze")
    if found is None:
        if os.environ.get("METOO_REQUIRE_SYSTEMD_ANALYZE") == "1":
            pytest.fail("systemd-analyze is required here (Debian's systemd package)")
        pytest.skip("systemd-analyze is not installed (Debian's systemd package)")
    return found


def placed(unit: Path, root: Path) -> Path:
    """A copy of `unit` whose checkout is `root` (with a .venv/bin/python there), as
    systemd-analyze verify checks that the program it starts exists."""
    checkout = root / CHECKOUT.lstrip("/")
    (checkout / ".venv" / "bin").mkdir(parents=True, exist_ok=True)
    python = checkout / ".venv" / "bin" / "python"
    if not python.exists():
        python.symlink_to(sys.executable)
    copy = root / unit.name
    copy.write_text(unit.read_text().replace(CHECKOUT, str(checkout)))
    return copy


def test_there_is_a_unit_for_one_process() -> None:
    assert DEPLOY / "metoo-bot.service" in UNITS


@pytest.mark.parametrize("unit", UNITS, ids=lambda path: path.name)
def test_systemd_analyze_verify_passes_without_a_warning(unit: Path, tmp_path: Path) -> None:
    analyze = systemd_analyze()
    result = subprocess.run([analyze, "verify", "--man=no", str(placed(unit, tmp_path))],
                            capture_output=True, text=True, timeout=120)
    # verify exits 0 even for an unknown option or a value it ignores; it says so.
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_unit_is_hardened(tmp_path: Path) -> None:
    """The exposure systemd scores from the unit's own settings: below 2 of 10 ("OK")."""
    analyze = systemd_analyze()
    unit = placed(DEPLOY / "metoo-bot.service", tmp_path)
    result = subprocess.run([analyze, "security", "--offline=yes", "--threshold=20",
                             "--no-pager", str(unit)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("unit", UNITS, ids=lambda path: path.name)
def test_a_unit_runs_the_program_as_its_own_user_with_settings_from_a_file(unit: Path) -> None:
    user = unit_values(unit, "User")
    assert len(user) == 1 and user[0] not in ("", "root", "0")
    assert unit_values(unit, "EnvironmentFile")
    assert unit_values(unit, "Restart") == ["on-failure"]
    assert unit_values(unit, "NoNewPrivileges") == ["yes"]
    assert unit_values(unit, "ProtectSystem") == ["strict"]

    (start,) = unit_values(unit, "ExecStart")
    program, *argv = shlex.split(start)
    assert program.endswith("/.venv/bin/python")
    assert_program_command(argv)
    for variable in unit_values(unit, "Environment"):
        for name in re.findall(r"([A-Z][A-Z0-9_]*)=", variable):
            assert name in documented_settings(), name


def test_the_unit_is_hardened_by_name() -> None:
    unit = DEPLOY / "metoo-bot.service"
    (start,) = unit_values(unit, "ExecStart")
    assert start.startswith(f"{CHECKOUT}/.venv/bin/python ")
    for option in ("ProtectHome", "PrivateTmp", "PrivateDevices", "RestrictSUIDSGID",
                   "LockPersonality", "RestrictNamespaces", "ProtectKernelTunables"):
        assert unit_values(unit, option) == ["yes"], option
    assert unit_values(unit, "CapabilityBoundingSet") == [""]
    assert unit_values(unit, "UMask") == ["0077"]


def test_the_sqlite_unit_keeps_its_database_in_its_state_directory() -> None:
    unit = DEPLOY / "metoo-bot.service"
    (state,) = unit_values(unit, "StateDirectory")
    assert unit_values(unit, "StateDirectoryMode") == ["0700"]
    (database,) = [value.split("=", 1)[1] for value in unit_values(unit, "Environment")
                   if value.startswith("DATABASE_URL=")]
    assert database == f"sqlite:////var/lib/{state}/metoo.sqlite3"


# -- the image ----------------------------------------------------------------------


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of deploy/Dockerfile, continuation lines joined."""
    instructions, pending = [], ""
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        word, _, rest = (pending + line).strip().partition(" ")
        instructions.append((word.upper(), rest.strip()))
        pending = ""
    return instructions


def arguments(instruction: str) -> list[list[str]]:
    return [json.loads(rest) if rest.startswith("[") else shlex.split(rest)
            for word, rest in dockerfile() if word == instruction]


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for (word, rest) in dockerfile():
        if word == "ENV":
            env.update(part.split("=", 1) for part in shlex.split(rest))
    return env


def test_the_image_starts_from_a_slim_python_of_the_projects_version() -> None:
    (base,) = arguments("FROM")
    image, tag = base[0].split(":")
    assert image == "python" and "slim" in tag
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert tag.startswith(project["tool"]["mypy"]["python_version"] + "-")


def test_every_path_the_image_copies_exists() -> None:
    copies = arguments("COPY") + arguments("ADD")
    assert copies
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    for *sources, _ in copies:
        for source in sources:
            assert not source.startswith("--"), "copies only from the build context"
            assert (REPO / source).exists(), source
            assert f"**/{source}" not in ignored and source not in ignored
    # What the build context must never carry into an image.
    for secret in ("**/.env", "**/*.env", "**/*.sqlite3*", "**/.venv", ".git"):
        assert secret in ignored


def test_the_image_runs_the_program_as_a_user_with_a_volume_and_a_health_check() -> None:
    words = [word for word, _ in dockerfile()]
    (user,) = arguments("USER")
    assert user[0] not in ("root", "0")
    assert words.index("USER") < words.index("ENTRYPOINT")
    (volume,) = arguments("VOLUME")
    assert arguments("WORKDIR")[-1] == volume  # the relative default database is in it

    env = image_env()
    for name in env:
        assert name in documented_settings() or PYTHON_VARIABLES.fullmatch(name), name
    # The image finds the code as PYTHONPATH says, from the volume; here, the checkout.
    here = {**env, "PYTHONPATH": str(REPO)}
    (entrypoint,), (command,) = arguments("ENTRYPOINT"), arguments("CMD")
    assert entrypoint[0] == "/app/.venv/bin/python"
    assert_program_command(entrypoint[1:] + command, here)

    (check,) = [rest for word, rest in dockerfile() if word == "HEALTHCHECK"]
    options, _, probe = check.partition(" CMD ")
    assert "--interval=" in options and "--timeout=" in options
    argv = json.loads(probe)
    assert argv[0] == entrypoint[0]
    assert_program_command(argv[1:], here)  # `health`: asks /healthz on HEALTH_PORT
    assert env["HEALTH_PORT"].isdigit()


# -- compose ------------------------------------------------------------------------


def compose() -> dict:
    parsed = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(parsed, dict)
    return parsed


def bot_services() -> dict[str, dict]:
    """The services that run the bot: those built from deploy/Dockerfile."""
    return {name: service for name, service in compose()["services"].items()
            if "build" in service}


def shard_ids(raw: str) -> set[int]:
    ids: set[int] = set()
    for part in raw.split(","):
        first, _, last = part.partition("-")
        ids.update(range(int(first), int(last or first) + 1))
    return ids


def test_the_compose_file_parses_and_builds_this_repository() -> None:
    services = bot_services()
    assert services
    for name, service in services.items():
        context = (DEPLOY / service["build"]["context"]).resolve()
        assert context == REPO, name
        assert (context / service["build"]["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
        # The .env that `python -m bot init` writes in the repository's root.
        assert (DEPLOY / service["env_file"]).resolve() == REPO / ".env", name
        assert "command" not in service or service["command"] == ["run"], name
        assert service.get("read_only") is True and service.get("cap_drop") == ["ALL"], name
        assert service.get("restart") == "unless-stopped", name  # on failure and at boot
        for variable in service.get("environment", {}):
            assert variable in documented_settings(), (name, variable)


def test_the_sqlite_profile_runs_one_bot_with_its_volume() -> None:
    services = bot_services()
    (bot,) = [s for s in services.values() if s["profiles"] == ["sqlite"]]
    (volume,) = bot["volumes"]
    name, _, mount = volume.partition(":")
    (workdir,) = arguments("VOLUME")
    assert mount == workdir[0] and name in compose()["volumes"]
    assert "DATABASE_URL" not in bot.get("environment", {})  # the image's relative default


def test_the_postgres_profile_runs_shard_workers_that_cover_every_shard_once() -> None:
    everything = compose()["services"]
    workers = [s for s in bot_services().values() if s["profiles"] == ["postgres"]]
    assert len(workers) == 2
    (database,) = [name for name, s in everything.items()
                   if s["profiles"] == ["postgres"] and "build" not in s]
    assert everything[database]["image"].startswith("postgres:")
    counts = {worker["environment"]["SHARD_COUNT"] for worker in workers}
    assert counts == {"4"}  # one global count, the same in every process
    owned = [shard_ids(worker["environment"]["SHARD_IDS"]) for worker in workers]
    assert sorted(shard for ids in owned for shard in ids) == [0, 1, 2, 3]
    for worker in workers:
        assert worker["environment"]["DATABASE_URL"].startswith(
            "postgresql://metoo:${POSTGRES_PASSWORD:?")
        assert worker["environment"]["DATABASE_URL"].endswith(f"@{database}:5432/metoo")
        assert worker["depends_on"] == {database: {"condition": "service_healthy"}}


def interpolated(value: str) -> str:
    """A compose value with its ${VARIABLE...} references filled in, as compose would
    with the operator's POSTGRES_PASSWORD."""
    return re.sub(r"\$\{[A-Z_]+(?::?[?-][^}]*)?\}", "0123456789abcdef", value)


def test_every_setting_the_files_make_is_valid() -> None:
    """The values too: the program accepts every environment the files give it (with
    the operator's .env adding only the token)."""
    from bot.settings import load_settings

    environments = [image_env()]
    environments += [{name: interpolated(str(value)) for name, value in
                      {**image_env(), **service.get("environment", {})}.items()}
                     for service in bot_services().values()]
    for unit in UNITS:
        unit_env = dict(re.findall(r"([A-Z][A-Z0-9_]*)=(\S*)",
                                   " ".join(unit_values(unit, "Environment"))))
        if unit_env.get("SHARD_IDS") == "%i":  # a template: an instance's name
            unit_env.update(SHARD_IDS="0-1", SHARD_COUNT="4")
        environments.append(unit_env)
    for environ in environments:
        settings = load_settings({**environ, "DISCORD_TOKEN": "token"}, env_file=None)
        if "HEALTH_PORT" in environ:
            assert settings.health_port == int(environ["HEALTH_PORT"])
        if "DATABASE_URL" in environ:
            assert settings.database.scheme in ("sqlite", "postgresql")
