"""The README must not name a make target or CLI command that does not exist, nor give
the front's counts other than the data's."""

from __future__ import annotations

import re
import subprocess

from dashboard.cli import build_parser
from dashboard.config import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _make_targets() -> set[str]:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M))


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def test_every_make_target_in_the_readme_exists():
    named = set(re.findall(r"make ([a-z][a-z-]*)", README))
    assert named, "the README names no make target"
    assert named <= _make_targets(), named - _make_targets()


def test_every_cli_command_in_the_readme_exists():
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # argparse's own table
    named = set(re.findall(r"python -m dashboard ([a-z]+)", README))
    assert named and named <= commands, named - commands


def test_every_cli_option_in_the_readme_is_accepted():
    parser = build_parser()
    for line in re.findall(r"python -m dashboard ([^\n#`]+)", README):
        args = line.split()
        if any(a.startswith("[") or a.startswith("COMMAND") for a in args):
            continue
        parser.parse_known_args(args)  # raises UsageError on an unknown command or choice


def test_make_help_lists_the_readme_targets():
    done = subprocess.run(["make", "-s", "help"], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0
    for target in ("run", "test", "validate"):
        assert target in done.stdout


def test_the_readmes_counts_of_the_front_are_the_datas(dataset):
    found = re.search(r"(\d+) settlements with cited coordinates and (\d+)\s+dated claims",
                      README)
    assert found, "the README no longer gives the front's counts"
    settlements = {area.settlement for area in dataset.areas.values() if area.settlement}
    assert (int(found[1]), int(found[2])) == (len(settlements), len(dataset.claims))
