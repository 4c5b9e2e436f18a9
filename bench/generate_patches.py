#!/usr/bin/env python3
"""Habitat patches for the network benchmark, as Conefor-style files (standard library only, fixed seed).

    generate_patches.py -n 10000 -o bench/out/patches-10000     # writes …nodes.txt and …distances.txt

Patches are discs scattered over a square landscape (default 40 km): 60 % around cluster centres (woodland
remnants, river corridors: Gaussian, sigma 1.2 km, one cluster per 40 patches), 40 % anywhere. Areas 0.1–20 ha
(0.1 ha × 200^(u²): median 0.38 ha), discs never overlap. The attribute is area (ha) × quality (0.5–1).
The distance file lists every pair whose edge-to-edge distance (centre distance − both radii, at least 0) is
at most the threshold (default 2000 m). A summary (links, degree, components) goes to stderr.
"""
import argparse
import math
import random
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=10000, help="number of patches")
    parser.add_argument("-o", required=True, help="output prefix")
    parser.add_argument("--size", type=float, default=40000, help="landscape side, m")
    parser.add_argument("--threshold", type=float, default=2000, help="longest listed distance, m")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    size, threshold = args.size, args.threshold

    centres = [(rng.uniform(0, size), rng.uniform(0, size)) for _ in range(max(1, args.n // 40))]
    areas = sorted((0.1 * 200 ** (rng.random() ** 2) for _ in range(args.n)), reverse=True)  # ha, largest placed first
    cell = 2 * math.sqrt(areas[0] * 10000 / math.pi)
    occupied = {}
    patches = []  # (x, y, r, attribute)
    for area in areas:
        r = math.sqrt(area * 10000 / math.pi)
        while True:
            if rng.random() < 0.6:
                cx, cy = rng.choice(centres)
                x, y = rng.gauss(cx, 1200), rng.gauss(cy, 1200)
                if not (0 <= x <= size and 0 <= y <= size):
                    continue
            else:
                x, y = rng.uniform(0, size), rng.uniform(0, size)
            gx, gy = int(x // cell), int(y // cell)
            if all((x - p[0]) ** 2 + (y - p[1]) ** 2 >= (r + p[2]) ** 2
                   for i in range(gx - 1, gx + 2) for j in range(gy - 1, gy + 2) for p in occupied.get((i, j), ())):
                break
        patch = (x, y, r, round(area * rng.uniform(0.5, 1), 4))
        patches.append(patch)
        occupied.setdefault((gx, gy), []).append(patch)

    with open(args.o + ".nodes.txt", "w") as out:
        for i, p in enumerate(patches, 1):
            out.write(f"{i}\t{p[3]}\n")

    # Pairs within the threshold: a grid of cells wider than the longest centre distance that can qualify.
    reach = threshold + 2 * max(p[2] for p in patches)
    grid = {}
    for i, p in enumerate(patches):
        grid.setdefault((int(p[0] // reach), int(p[1] // reach)), []).append(i)
    parent = list(range(len(patches)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    links = 0
    with open(args.o + ".distances.txt", "w") as out:
        for (gx, gy), members in grid.items():
            for dx, dy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):
                others = grid.get((gx + dx, gy + dy))
                if not others:
                    continue
                lines = []
                for a, i in enumerate(members):
                    xi, yi, ri, _ = patches[i]
                    for j in (members[a + 1:] if (dx, dy) == (0, 0) else others):
                        xj, yj, rj, _ = patches[j]
                        d = math.sqrt((xi - xj) ** 2 + (yi - yj) ** 2) - ri - rj
                        if d <= threshold:
                            d = max(0.0, d)
                            lines.append(f"{i + 1}\t{j + 1}\t{d:.2f}\n")
                            ri_, rj_ = find(i), find(j)
                            if ri_ != rj_:
                                parent[ri_] = rj_
                out.writelines(lines)
                links += len(lines)

    sizes = {}
    for i in range(len(patches)):
        sizes[find(i)] = sizes.get(find(i), 0) + 1
    largest = max(sizes.values())
    print(f"{len(patches)} patches, {links} links within {threshold:g} m (mean degree {2 * links / len(patches):.1f}), "
          f"{len(sizes)} components, largest {largest} patches; "
          f"density {len(patches) / (size / 1000) ** 2:.2f} patches/km², habitat {sum(p[3] for p in patches):.0f} ha (× quality)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
