"""Members, conversations and API tokens for a realtime run, written into the database HAVEN_* names.

    HAVEN_DATA_DIR=... [HAVEN_DATABASE_URL=...] .venv/bin/python -m bench.realtime.setup \\
        --members 1000 --group-size 8 --out bench/out/realtime-world.json

Migrates the database, then writes `--members` members (`rt1`..`rtN`, no password: they use API
tokens), pairs them into direct conversations (member 2i with 2i+1) and deals them into groups of
`--group-size` (shifted by one, so a group is not two pairs), every conversation opened through
haven.messaging.services (each recipient follows the one who opened it, so nobody lands in
Requests), and one API token per member through haven.accounts.services.token_create. The JSON it
writes (ids, usernames, raw tokens, conversation members by index) is what the load client reads.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.common import django_setup, guard_database


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--group-size", type=int, default=8)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if not 4 <= args.members <= 20_000 or not 3 <= args.group_size <= 50:
        sys.exit("--members must be 4..20000 and --group-size 3..50")
    django_setup()
    guard_database()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.monotonic()

    from haven.accounts.models import User
    from haven.accounts.services import token_create
    from haven.graph.models import Follow
    from haven.messaging import services

    n, g = args.members, args.group_size
    User.objects.bulk_create(
        [
            User(
                username=f"rt{i + 1}",
                email=f"rt{i + 1}@bench.invalid",
                display_name=f"RT {i + 1}",
                password="!",  # noqa: S106 (unusable: these members sign in with API tokens)
                languages=["en"],
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    users = list(
        User.objects.filter(username__startswith="rt", email__endswith="@bench.invalid").order_by("pk")
    )
    users = sorted(users, key=lambda u: int(u.username[2:]))[:n]
    pairs = [(2 * i, 2 * i + 1) for i in range(n // 2)]
    groups = [[(start + j + 1) % n for j in range(g)] for start in range(0, n - g + 1, g)]
    follows = {(b, a) for a, b in pairs} | {(m, grp[0]) for grp in groups for m in grp[1:]}
    Follow.objects.bulk_create(
        [Follow(follower=users[f], followee=users[t]) for f, t in follows],
        batch_size=1000,
        ignore_conflicts=True,
    )
    conversations = []
    for a, b in pairs:
        c = services.direct_open(sender=users[a], recipient=users[b])
        conversations.append({"id": c.pk, "kind": "direct", "members": [a, b]})
    for grp in groups:
        c = services.group_create(
            creator=users[grp[0]], title=f"Group {grp[0]}", members=[users[m] for m in grp[1:]]
        )
        conversations.append({"id": c.pk, "kind": "group", "members": grp})
    members = [
        {"id": u.pk, "username": u.username, "token": token_create(user=u, name="bench")[1]} for u in users
    ]
    world = {
        "members": members,
        "conversations": conversations,
        "seconds": {"migrate": round(migrated - started, 1), "write": round(time.monotonic() - migrated, 1)},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(world))
    print(f"{n} members, {len(pairs)} direct and {len(groups)} group conversations -> {args.out}")


if __name__ == "__main__":
    main()
