"""Command-line view over the timeline engine: ``python -m dashboard COMMAND``.

Exit codes: 0 success, 2 bad input (bad data, bad option, unknown id). Never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from dashboard import export
from dashboard.config import default_data_dir
from dashboard.engine import Timeline
from dashboard.load import DataError, load_dataset
from dashboard.model import TIMELINE_END, TIMELINE_START, EventKind
from dashboard.sanity import check_sanity


class UsageError(Exception):
    """Bad input from the command line; the message says what was expected."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, no usage dump
        raise UsageError(f"{self.prog}: {message} (see --help)")


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date inside the timeline, or a UsageError saying what was expected."""
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"invalid date {text!r}: expected YYYY-MM-DD, "
                         f"e.g. 2020-11-10") from None
    if len(text) != 10:
        raise UsageError(f"invalid date {text!r}: expected YYYY-MM-DD")
    if not TIMELINE_START <= value <= TIMELINE_END:
        raise UsageError(f"date {text} is outside the timeline {TIMELINE_START} … {TIMELINE_END}")
    return value


def _date_arg(text: str) -> dt.date:
    try:
        return parse_date(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m dashboard",
                     description="Query the Karabakh 2020–2024 dataset and timeline.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--data-dir", type=Path, default=None,
                       help="dataset folder laid out like the repo (default: the repo, "
                            "or $KARABAKH_DATA_DIR)")
        return p

    command("validate", "check every data file; one line per problem")
    state = command("state", "the map's state on a date")
    state.add_argument("--date", type=_date_arg, required=True, help="YYYY-MM-DD")
    state.add_argument("--format", choices=("json", "geojson"), default="json")
    events = command("events", "the events, filtered")
    events.add_argument("--since", type=_date_arg, help="YYYY-MM-DD, inclusive")
    events.add_argument("--until", type=_date_arg, help="YYYY-MM-DD, inclusive")
    events.add_argument("--place", help="a place id (see `state`)")
    events.add_argument("--kind", choices=[k.value for k in EventKind])
    events.add_argument("--format", choices=("json", "csv"), default="json")
    diff = command("compare", "what changed between two dates")
    diff.add_argument("--from", dest="first", type=_date_arg, required=True, help="YYYY-MM-DD")
    diff.add_argument("--to", dest="second", type=_date_arg, required=True, help="YYYY-MM-DD")
    claims = command("claims", "the settlement claims with denials and confirmations")
    claims.add_argument("--place", help="only claims naming this settlement id")
    publish = command("publish", "write the static, versioned reader's edition into DIR")
    publish.add_argument("dir", type=Path, help="the site folder (created if missing)")
    publish.add_argument("--no-pictures", action="store_true",
                         help="skip the PNG of every change date (faster)")
    timeline = command("timeline", "one row per change date with km² per side")
    timeline.add_argument("--format", choices=("csv", "json"), default="csv")
    return parser


def run(argv: list[str], out=sys.stdout) -> int:
    args = build_parser().parse_args(argv)
    data_dir = args.data_dir or default_data_dir()
    dataset = load_dataset(data_dir)
    timeline = Timeline(dataset)
    if args.command == "validate":
        problems = check_sanity(timeline)
        if problems:
            raise DataError(problems)
        print(f"ok: {dataset.summary()}; {len(timeline.change_dates)} change dates", file=out)
    elif args.command == "state":
        state = timeline.state_at(args.date)
        doc = (export.state_record if args.format == "json" else export.state_geojson)(
            timeline, state)
        json.dump(doc, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.command == "events":
        if args.place and args.place not in dataset.places:
            raise UsageError(f"unknown place id {args.place!r}: expected one of "
                             f"{', '.join(sorted(dataset.places))}")
        chosen = export.filter_events(dataset.events, args.since, args.until, args.place,
                                      args.kind)
        records = [export.event_record(timeline, e) for e in chosen]
        if args.format == "json":
            json.dump(records, out, ensure_ascii=False, indent=1)
            out.write("\n")
        else:
            out.write(export.events_csv(records))
    elif args.command == "publish":
        from dashboard.views.publish import PublishError
        from dashboard.views.publish import publish as write_site
        try:
            folder = write_site(timeline, args.dir, pictures=not args.no_pictures)
        except PublishError as exc:
            raise UsageError(str(exc)) from None
        print(f"published data version {dataset.version} to {folder}; "
              f"{args.dir / 'index.html'} points at it", file=out)
    elif args.command == "compare":
        json.dump(export.compare(timeline, *sorted((args.first, args.second))), out,
                  ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.command == "claims":
        if args.place and args.place not in dataset.places:
            raise UsageError(f"unknown place id {args.place!r}: expected a settlement id "
                             "(see `state`)")
        chosen = timeline.claims_for("place", args.place) if args.place else timeline.claims
        json.dump([export.claim_record(timeline, c) for c in chosen], out,
                  ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.command == "timeline":
        rows = export.timeline_rows(timeline)
        if args.format == "json":
            json.dump(rows, out, ensure_ascii=False, indent=1)
            out.write("\n")
        else:
            out.write("date,armenian_km2,azerbaijani_km2,disputed_km2,inside_armenia_km2,"
                      "event_ids,claim_ids\n")
            for row in rows:
                out.write(f"{row['date']},{row['armenian_km2']},{row['azerbaijani_km2']},"
                          f"{row['disputed_km2']},{row['inside_armenia_km2']},"
                          f"{' '.join(row['event_ids'])},{' '.join(row['claim_ids'])}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"error: {len(exc.problems)} problem(s) in the data", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `... | head` closed our stdout; not an error
        return 0
