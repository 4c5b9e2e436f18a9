#!/usr/bin/env python3
"""Generates N invented activities (lectures, workshops, events …) in Tokorozawa as one GeoJSON FeatureCollection.

Standard library only, fixed seed. held_on is spread over FY2010-FY2025; kinds are the codes of
RegisterCatalogue.ActivityKinds; a third have a point, the rest no geometry.

    python3 bench/generate_activities.py -n 10000 -o bench/out/activities-10000.geojson
"""
import argparse
import datetime
import json
import random

KINDS = ["lecture", "workshop", "support_case", "hands_on_event", "awareness_activity", "forest_site", "survey", "other"]
ORGANISERS = ["みどり自然課", "環境クリーン推進課", "所沢市自然保護団体連絡会", "狭山丘陵いきものふれあいの里", "NPO法人 みどりのトラスト"]
FIRST_DAY, LAST_DAY = datetime.date(2010, 4, 1), datetime.date(2026, 3, 31)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    days = (LAST_DAY - FIRST_DAY).days
    with open(args.output, "w", encoding="utf-8", newline="\n") as out:
        out.write('{"type": "FeatureCollection", "features": [\n')
        for i in range(args.count):
            held = FIRST_DAY + datetime.timedelta(days=int(rng.random() * (days + 1)))
            kind = KINDS[int(rng.random() * len(KINDS))]
            geometry = None
            if rng.random() < 1 / 3:
                geometry = {"type": "Point", "coordinates": [round(139.40 + 0.12 * rng.random(), 6), round(35.77 + 0.06 * rng.random(), 6)]}
            props = {
                "activity_id": "ACT-%06d" % (i + 1),
                "held_on": held.isoformat(),
                "kind": kind,
                "title": "%s %d" % (kind, i + 1),
                "organiser": ORGANISERS[int(rng.random() * len(ORGANISERS))],
                "participants": 5 + int(rng.random() * 80),
            }
            out.write((",\n" if i else "") + json.dumps({"type": "Feature", "properties": props, "geometry": geometry}, ensure_ascii=False))
        out.write("\n]}\n")


if __name__ == "__main__":
    main()
