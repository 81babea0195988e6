"""Prepare a load run: mint API tokens for a pool of generated members through the token service.

    HAVEN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench \
        .venv/bin/python -m bench.load.setup --members 400 --followers 200

Tokens are created with accounts.services.token_create (no login, so no rate limit and no Argon2),
each pool member gets one ready image to post with, and the celebrity (the most-followed member)
gets a token plus a sample of its followers with tokens, for the celebrity scenario. Writes
bench/out/pool-<database>.json, which the locustfile and the other load scripts read.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence

from bench.common import OUT, db_label, django_setup, guard_database

TOKEN_NAME = "bench"  # noqa: S105 - a label, not a secret


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=400, help="members in the daily-mix pool")
    parser.add_argument("--followers", type=int, default=200, help="celebrity followers to poll")
    parser.add_argument("--notes", type=int, default=2000, help="sample of public note ids")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    django_setup()
    guard_database()
    from django.db.models import Count

    from haven.accounts.models import ApiToken, User
    from haven.accounts.services import token_create
    from haven.graph.models import Follow
    from haven.media.models import MediaImage
    from haven.notes.models import Note

    rng = random.Random(args.seed)
    ApiToken.objects.filter(name=TOKEN_NAME).delete()  # earlier runs' tokens
    max_id = User.objects.order_by("-id").values_list("id", flat=True).first() or 0
    celebrity = (
        User.objects.annotate(n=Count("follower_edges")).order_by("-n").values("id", "username", "n").first()
        if max_id < 20_000
        else None
    )
    if celebrity is None:  # large communities: the generator puts the celebrities first
        celebrity = {"id": 1, "username": "m1", "n": Follow.objects.filter(followee_id=1).count()}
    candidates = rng.sample(range(4, max_id + 1), min(max_id - 3, args.members * 2))
    members = list(
        User.objects.filter(id__in=candidates, is_private=False, is_active=True).values("id", "username")[
            : args.members
        ]
    )
    follower_ids = list(
        Follow.objects.filter(followee_id=celebrity["id"])
        .order_by("?")
        .values_list("follower_id", flat=True)[: args.followers]
    )
    followers = list(User.objects.filter(id__in=follower_ids).values("id", "username"))
    template = MediaImage.objects.filter(state="ready").order_by("id").first()
    assert template is not None, "generate a community first (python -m bench.generate)"

    def equip(rows: list[dict], image: bool) -> list[dict]:
        out = []
        users = {u.pk: u for u in User.objects.filter(id__in=[r["id"] for r in rows])}
        for row in rows:
            _token, raw = token_create(user=users[row["id"]], name=TOKEN_NAME)
            entry = {"id": row["id"], "username": row["username"], "token": raw}
            if image:
                img = MediaImage.objects.create(
                    owner_id=row["id"],
                    state="ready",
                    original_format="webp",
                    byte_size=template.byte_size,
                    width=template.width,
                    height=template.height,
                    blurhash=template.blurhash,
                    grid_path=template.grid_path,
                    detail_path=template.detail_path,
                    attempts=1,
                )
                entry["image_id"] = img.pk
            out.append(entry)
        return out

    pool = equip(members, image=True)
    celeb = equip([{"id": celebrity["id"], "username": celebrity["username"]}], image=True)[0]
    celeb["followers"] = celebrity["n"]
    sample = equip(followers, image=False)
    published = Note.objects.filter(status="published", visibility="public", author__is_private=False)
    top = published.order_by("-id").values_list("id", flat=True).first() or 0
    probe = rng.sample(range(1, top + 1), min(top, args.notes * 2))
    note_ids = list(published.filter(id__in=probe).values_list("id", flat=True)[: args.notes])
    usernames = [m["username"] for m in members] + [f"m{i}" for i in rng.sample(range(1, max_id + 1), 200)]
    data = {
        "database": db_label(),
        "members": pool,
        "celebrity": celeb,
        "celebrity_followers": sample,
        "note_ids": note_ids,
        "usernames": usernames,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"pool-{db_label()}.json"
    path.write_text(json.dumps(data))
    print(
        f"wrote {path}: {len(pool)} members, celebrity {celeb['username']} ({celeb['followers']} followers), "
        f"{len(sample)} follower tokens, {len(note_ids)} note ids"
    )


if __name__ == "__main__":
    main()
