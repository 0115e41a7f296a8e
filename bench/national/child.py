"""The national bench's steps that run inside Django, one child process each, on the
bench database that the environment names.

    python -m bench.national.child user|agencies|plan|meetings|pages|mail-anchor
    python -m bench.national.child deep-cursor USERNAME NEXT_CURSOR
"""

from __future__ import annotations

import os
import sys

import django


def main() -> None:
    step = sys.argv[1]
    django.setup()
    from bench.national import escorts, pages, setup

    scale = float(os.environ.get("BENCH_NATIONAL_SCALE", "1.0"))
    if step == "user":
        print(f"whole-country user: {setup.national_user()}")
    elif step == "agencies":
        setup.agencies()
    elif step == "plan":
        escorts.plan(setup.NATIONAL_USER, scale)
    elif step == "meetings":
        setup.meetings()
    elif step == "pages":
        pages.measure(setup.NATIONAL_USER, setup.REGENCY_USER)
    elif step == "deep-cursor":
        from bench.national import deep

        made = deep.deep_cursor(sys.argv[2], sys.argv[3])
        print("deep-cursor " + (" ".join(map(str, made)) if made else "none"))
    elif step == "mail-anchor":
        from bench.national import drain

        drain.mail_anchor()
    else:
        sys.exit(f"unknown step {step!r}")


if __name__ == "__main__":
    main()
