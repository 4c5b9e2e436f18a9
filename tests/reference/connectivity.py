#!/usr/bin/python3
"""Independent reference for the habitat-network indices, and the numbers the C# engine is tested against.

The service computes its connectivity indices in C#. This module computes them again, from the
definitions in shared/data/connectivity/README.md, in plain Python (pyproj and shapely for the geodesy),
sharing no code with the service or with the sample generator. gis-samples/make_patches.py calls it on
the sample patches and candidates it has just written, and it writes gis-samples/expected-network*.csv;
tests/HabitatRegistry.Tests/Network compares the service with those files.

    /usr/bin/python3 tests/reference/connectivity.py   # only the self-check on the toy examples

What is here:

- the indices on a link graph (`network`): PCnum, PC, EC, IIC, H, CCP, LCP, components, and dPC / dIIC
  with their intra, flux and connector parts, by removing each patch and recomputing;
- `self_check`: the index code against toy examples A, B and C of the connectivity README;
- the geodesy: areas on GRS80 and the minimum geodesic distance between two lon/lat polygons;
- `sample_network`: everything the expected files hold, read from the GeoJSON files as written;
- `write_expected`: expected-network.csv, expected-network-patches.csv and expected-network-candidates.csv,
  full doubles (Python repr).

How each number is computed is described in gis-samples/README.md ("How the reference is computed").
"""

import csv
import heapq
import json
import math
from dataclasses import dataclass
from pathlib import Path

from pyproj import Geod, Proj
from shapely.geometry import shape
from shapely.geometry.polygon import orient
from shapely.ops import nearest_points, transform, unary_union

GEOD = Geod(ellps="GRS80")


# =============================================================================================
# indices on a link graph (pure Python)

def best_paths(n, links, removed=None):
    """All-pairs shortest edge-to-edge distance D (Dijkstra) and fewest links nl (BFS) over the link
    graph; node `removed` is left out. links: list of (i, j, d). Unreachable pairs are missing."""
    adj = [[] for _ in range(n)]
    for i, j, d in links:
        if removed in (i, j):
            continue
        adj[i].append((j, d))
        adj[j].append((i, d))
    dist, hops = [], []
    for s in range(n):
        if s == removed:
            dist.append({})
            hops.append({})
            continue
        best = {s: 0.0}
        done = set()
        heap = [(0.0, s)]
        while heap:
            d, u = heapq.heappop(heap)
            if u in done:
                continue
            done.add(u)
            for v, w in adj[u]:
                nd = d + w
                if v not in best or nd < best[v]:
                    best[v] = nd
                    heapq.heappush(heap, (nd, v))
        nl = {s: 0}
        frontier = [s]
        while frontier:
            nxt = []
            for u in frontier:
                for v, _ in adj[u]:
                    if v not in nl:
                        nl[v] = nl[u] + 1
                        nxt.append(v)
            frontier = nxt
        dist.append(best)
        hops.append(nl)
    return dist, hops


def pc_num(a, dist, k):
    """PCnum = sum_i sum_j a_i a_j p*_ij (i = j included), p*_ij = exp(-k D_ij)."""
    return math.fsum(a[i] * a[j] * math.exp(-k * dij) for i in range(len(a)) for j, dij in sorted(dist[i].items()))


def iic_num(a, hops):
    return math.fsum(a[i] * a[j] / (1 + h) for i in range(len(a)) for j, h in sorted(hops[i].items()))


def components(n, links):
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in links:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    comp_of = [find(i) for i in range(n)]
    # number 1, 2, ... in the order of each component's smallest node index
    order = {}
    for i in range(n):
        order.setdefault(comp_of[i], len(order) + 1)
    return [order[c] for c in comp_of]


def network(a, links, d0, p0, landscape, pc_links=None):
    """Every index for node attributes a (ha), links [(i, j, d)] (binary graph: NL, NC, IIC, H, CCP,
    LCP) and pc_links (graph for PC; the same as links unless given). Returns a dict."""
    n = len(a)
    pc_links = links if pc_links is None else pc_links
    k = -math.log(p0) / d0
    dist, _ = best_paths(n, pc_links)
    _, hops = best_paths(n, links)
    pcn = pc_num(a, dist, k)
    iicn = iic_num(a, hops)
    comp = components(n, links)
    members = {}
    for i, c in enumerate(comp):
        members.setdefault(c, []).append(a[i])
    comp_area = {c: math.fsum(v) for c, v in members.items()}
    total = math.fsum(a)
    out = {
        "nodes": n,
        "links": len(links),
        "components": len(comp_area),
        "pc_num": pcn,
        "pc": pcn / landscape ** 2,
        "ec": math.sqrt(pcn),
        "iic_num": iicn,
        "iic": iicn / landscape ** 2,
        "harary": math.fsum(1.0 / h for i in range(n) for j, h in sorted(hops[i].items()) if j > i),
        "ccp": math.fsum((c / total) ** 2 for _, c in sorted(comp_area.items())),
        "lcp": math.fsum((c / landscape) ** 2 for _, c in sorted(comp_area.items())),
        "component": comp,
        "patches": [],
    }
    for r in range(n):
        dist_r, _ = best_paths(n, pc_links, removed=r)
        _, hops_r = best_paths(n, links, removed=r)
        b = [0.0 if i == r else a[i] for i in range(n)]
        pc_r = pc_num(b, dist_r, k)
        iic_r = iic_num(b, hops_r)
        intra = 100.0 * a[r] ** 2 / pcn
        flux = 100.0 * 2.0 * math.fsum(a[r] * a[j] * math.exp(-k * d) for j, d in sorted(dist[r].items()) if j != r) / pcn
        # connector: what the other pairs lose in p* when r is gone (each term >= 0; exactly 0 when r
        # is on no best path). Equals dPC - intra - flux up to rounding.
        loss = math.fsum(a[i] * a[j] * (math.exp(-k * dij) - (math.exp(-k * dist_r[i][j]) if j in dist_r[i] else 0.0))
                         for i in range(n) if i != r for j, dij in sorted(dist[i].items()) if j != r)
        dpc = 100.0 * (pcn - pc_r) / pcn
        connector = 100.0 * loss / pcn
        assert abs(dpc - intra - flux - connector) <= 1e-9 * max(1.0, dpc), (r, dpc, intra, flux, connector)
        iic_intra = 100.0 * a[r] ** 2 / iicn
        iic_flux = 100.0 * 2.0 * math.fsum(a[r] * a[j] / (1 + h) for j, h in sorted(hops[r].items()) if j != r) / iicn
        diic = 100.0 * (iicn - iic_r) / iicn
        out["patches"].append({"dpc": dpc, "intra": intra, "flux": flux, "connector": connector, "diic": diic,
                               "diic_intra": iic_intra, "diic_flux": iic_flux,
                               "diic_connector": diic - iic_intra - iic_flux})
    return out


def components_without(n, links, r):
    """How many components the other nodes form when node r and its links are gone."""
    return len(set(c for i, c in enumerate(components(n, [l for l in links if r not in l[:2]])) if i != r))


# =============================================================================================
# self-check on the toy examples of shared/data/connectivity/README.md

def check(value, printed, what):
    """value must match a number printed with some decimals (to half a unit in the last place)."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    tol = 0.5 * 10 ** -decimals + 1e-12
    assert abs(value - float(printed)) <= tol, f"toy {what}: got {value!r}, README says {printed}"


def toy_links(d, threshold=None):
    return [(i, j, dij) for (i, j), dij in sorted(d.items()) if threshold is None or dij <= threshold]


def check_dpc(toy, name, table):
    """table: per patch, the README's (dPC, intra, flux, connector)."""
    for r, row in enumerate(table):
        for part, printed in zip(("dpc", "intra", "flux", "connector"), row):
            check(toy["patches"][r][part], printed, f"{name} {part} {r + 1}")


def check_binary(toy, name, printed):
    """printed: the README's (links, components, IICnum, IIC, H, CCP, LCP)."""
    assert (toy["links"], toy["components"]) == printed[:2], (name, toy["links"], toy["components"])
    for key, value in zip(("iic_num", "iic", "harary", "ccp", "lcp"), printed[2:]):
        check(toy[key], value, f"{name} {key}")


def check_diic(toy, name, r, printed):
    """printed: the README's dIIC of patch r + 1 with its intra, flux and connector parts."""
    for part, value in zip(("diic", "diic_intra", "diic_flux", "diic_connector"), printed):
        check(toy["patches"][r][part], value, f"{name} {part} {r + 1}")


def self_check():
    # A: three 10 ha patches in a row, complete graph for PC, d <= 1000 for the binary indices
    dA = {(0, 1): 1000.0, (1, 2): 1000.0, (0, 2): 2500.0}
    A = network([10.0] * 3, toy_links(dA, 1000), 1000, 0.5, 100.0, pc_links=toy_links(dA))
    check(A["pc_num"], "550", "A PCnum")
    check(A["ec"], "23.45208", "A EC")
    check(A["pc"], "0.055", "A PC")
    check_dpc(A, "A", [("45.454545", "18.181818", "27.272727", "0"),
                       ("57.208120", "18.181818", "36.363636", "2.662666"),
                       ("45.454545", "18.181818", "27.272727", "0")])
    check_binary(A, "A", (2, 1, "566.6667", "0.0566667", "2.5", "1", "0.09"))
    check_diic(A, "A", 1, ("64.7059", "17.6471", "35.2941", "11.7647"))
    check(A["patches"][0]["diic"], "47.0588", "A dIIC 1")
    check(A["patches"][2]["diic"], "47.0588", "A dIIC 3")

    # B: five patches, complete graph for PC, d <= 1000 for the binary indices
    aB = [100.0, 50.0, 5.0, 80.0, 20.0]
    dB = {(0, 1): 400.0, (0, 2): 900.0, (0, 3): 1800.0, (0, 4): 3000.0, (1, 2): 700.0, (1, 3): 1600.0,
          (1, 4): 2600.0, (2, 3): 800.0, (2, 4): 2200.0, (3, 4): 1200.0}
    B = network(aB, toy_links(dB, 1000), 1000, 0.5, 2500.0, pc_links=toy_links(dB))
    check(B["pc_num"], "38268.3844", "B PCnum")
    check(B["ec"], "195.62307", "B EC")
    check(B["pc"], "0.0061229415", "B PC")
    check_dpc(B, "B", [("61.604205", "26.131231", "35.472974", "0"),
                       ("35.393898", "6.532808", "28.861090", "0"),
                       ("5.051780", "0.065328", "3.535953", "1.450498"),
                       ("41.934679", "16.723988", "25.100001", "0.110690"),
                       ("7.078022", "1.045249", "6.032773", "0")])
    check_binary(B, "B", (4, 2, "33475", "0.005356", "5", "0.8554402", "0.0089"))
    check_diic(B, "B", 2, ("27.4085", "0.0747", "3.4354", "23.8984"))

    # C: B plus a 10 ha patch
    dC = dict(dB)
    dC.update({(3, 5): 500.0, (4, 5): 500.0, (2, 5): 1300.0, (1, 5): 2100.0, (0, 5): 2300.0})
    C = network(aB + [10.0], toy_links(dC, 1000), 1000, 0.5, 2500.0, pc_links=toy_links(dC))
    check(C["pc_num"], "40826.4018", "C PCnum")
    check(C["ec"], "202.0554", "C EC")
    check(100 * (C["pc_num"] - B["pc_num"]) / C["pc_num"], "6.265596", "C gain (Conefor)")
    check(100 * (C["pc_num"] - B["pc_num"]) / B["pc_num"], "6.684414", "C gain (relative)")


# =============================================================================================
# geodesy: GRS80 areas and polygon-to-polygon distances

def geodesic_area(geom):
    """m² on GRS80 (pyproj Geod.geometry_area_perimeter, abs), with the rings oriented first."""
    if geom.is_empty:
        return 0.0
    polys = [geom] if geom.geom_type == "Polygon" else [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"]
    return math.fsum(abs(GEOD.geometry_area_perimeter(orient(p, 1.0))[0]) for p in polys)


def closest_pair(g1, g2, centre=None):
    """Minimum geodesic distance (m) between two lon/lat polygons, and a point of g1 where it is
    reached: (0.0, None) if they touch or overlap; else the closest pair found in an azimuthal
    equidistant projection (GRS80) centred between them (or at `centre`), measured with Geod.inv.
    Over a few km, straight edges in that projection stay within ~1e-6 m of geodesics."""
    if g1.intersects(g2):
        return 0.0, None
    if centre is None:
        c1, c2 = g1.centroid, g2.centroid
        centre = ((c1.x + c2.x) / 2, (c1.y + c2.y) / 2)
    aeqd = Proj(f"+proj=aeqd +lat_0={centre[1]!r} +lon_0={centre[0]!r} +ellps=GRS80 +units=m +no_defs")
    a, b = nearest_points(transform(aeqd, g1), transform(aeqd, g2))
    lon1, lat1 = aeqd(a.x, a.y, inverse=True)
    lon2, lat2 = aeqd(b.x, b.y, inverse=True)
    return GEOD.inv(lon1, lat1, lon2, lat2)[2], (lon1, lat1)


def geodesic_distance(g1, g2):
    return closest_pair(g1, g2)[0]


# =============================================================================================
# the sample network, from the GeoJSON files as written

def read_collection(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))["features"]


@dataclass
class SampleNetwork:
    """The patches and candidates as read back, their distances, and the indices per profile."""
    boundary: object      # the city (lon/lat); its GRS80 area is A_L
    landscape_ha: float
    patches: list         # [(properties, lon/lat geometry)] in file order
    candidates: list      # likewise
    ids: list             # patch_id per node
    area_ha: list
    weight: list          # area × quality (1 when missing)
    dist: dict            # (i, j) with i < j -> edge-to-edge geodesic distance, m
    cand_dist: dict       # (candidate index, j) -> distance, m
    worst: float          # largest disagreement between the two aeqd centres, m
    results: dict         # profile code -> network(...) plus "links_list" and "gains"

    @property
    def geoms(self):
        return [g for _, g in self.patches]


def sample_network(boundary_file, patches_file, candidates_file, profiles):
    """Everything expected-network*.csv holds. profiles: [(code, d0 m, p0, threshold m)]; a pair is
    linked when its distance is at most the threshold. Each candidate is added alone, as one more node."""
    boundary = shape(read_collection(boundary_file)[0]["geometry"])
    landscape_ha = abs(GEOD.geometry_area_perimeter(boundary)[0]) / 1e4
    patches = [(f["properties"], shape(f["geometry"])) for f in read_collection(patches_file)]
    cands = [(f["properties"], shape(f["geometry"])) for f in read_collection(candidates_file)]
    ids = [p["patch_id"] for p, _ in patches]
    geoms = [g for _, g in patches]
    n = len(patches)
    area_ha = [abs(GEOD.geometry_area_perimeter(g)[0]) / 1e4 for g in geoms]
    assert all(abs(area_ha[i] - geodesic_area(geoms[i]) / 1e4) < 1e-9 for i in range(n))  # RFC 7946 winding
    weight = [area_ha[i] * p.get("quality", 1.0) for i, (p, _) in enumerate(patches)]

    # all pairwise edge-to-edge distances; each is measured a second time with the projection centred on
    # the closest point found, and the two must agree (they do to ~1e-7 m)
    dist, cand_dist = {}, {}
    worst = 0.0

    def measure(g1, g2):
        nonlocal worst
        d, near1 = closest_pair(g1, g2)
        if near1 is not None:
            worst = max(worst, abs(d - closest_pair(g1, g2, centre=near1)[0]))
        return d

    for i in range(n):
        for j in range(i + 1, n):
            dist[i, j] = measure(geoms[i], geoms[j])
    for c, (cp, cg) in enumerate(cands):
        for j in range(n):
            cand_dist[c, j] = measure(cg, geoms[j])
    assert worst < 1e-4, worst

    results = {}
    for code, d0, p0, t in profiles:
        links = [(i, j, d) for (i, j), d in sorted(dist.items()) if d <= t]
        res = network(weight, links, d0, p0, landscape_ha)
        res["links_list"] = links
        gains = []
        for c, (cp, cg) in enumerate(cands):
            covered = cg.intersection(unary_union(geoms))
            new_area = (geodesic_area(cg) - geodesic_area(covered)) / 1e4
            extra = [(i, j, d) for i, j, d in links] + [(j, n, d) for (cc, j), d in sorted(cand_dist.items()) if cc == c and d <= t]
            k = -math.log(p0) / d0
            dist_after, _ = best_paths(n + 1, extra)
            after = pc_num(weight + [new_area], dist_after, k)
            before = res["pc_num"]
            gains.append({"candidate_id": cp["candidate_id"], "new_area_ha": new_area,
                          "pc_gain_pct": 100.0 * (after - before) / after,
                          "pc_gain_relative_pct": 100.0 * (after - before) / before,
                          "ec_gain_ha": math.sqrt(after) - math.sqrt(before),
                          "links": sum(1 for (cc, j), d in cand_dist.items() if cc == c and d <= t),
                          "components_after": components(n + 1, extra)})
        res["gains"] = gains
        results[code] = res
    return SampleNetwork(boundary, landscape_ha, patches, cands, ids, area_ha, weight, dist, cand_dist, worst, results)


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow([repr(v) if isinstance(v, float) else v for v in row])


def write_expected(directory, net, profiles):
    """expected-network.csv (per profile), expected-network-patches.csv (per profile and patch) and
    expected-network-candidates.csv (per profile and candidate) in `directory`."""
    directory = Path(directory)
    ids, n = net.ids, len(net.ids)
    rows = []
    for code, d0, p0, t in profiles:
        r = net.results[code]
        top = max(range(n), key=lambda i: r["patches"][i]["dpc"])
        rows.append([code, d0, p0, t, net.landscape_ha, r["nodes"], r["links"], r["components"], r["pc_num"], r["pc"],
                     r["ec"], r["iic"], r["harary"], r["ccp"], r["lcp"], ids[top], r["patches"][top]["dpc"]])
    write_csv(directory / "expected-network.csv", ["profile", "d0", "p0", "threshold", "landscape_area_ha", "nodes", "links",
                                                   "components", "pc_num", "pc", "ec_pc_ha", "iic", "harary", "ccp", "lcp",
                                                   "top_dpc_patch", "top_dpc"], rows)
    rows = []
    for code, *_ in profiles:
        r = net.results[code]
        for i in range(n):
            p = r["patches"][i]
            rows.append([code, ids[i], net.area_ha[i], net.weight[i], r["component"][i], p["dpc"], p["intra"], p["flux"],
                         p["connector"], p["diic"]])
    write_csv(directory / "expected-network-patches.csv", ["profile", "patch_id", "area_ha", "weight", "component", "dpc",
                                                           "dpc_intra", "dpc_flux", "dpc_connector", "diic"], rows)
    rows = []
    for code, *_ in profiles:
        for g in net.results[code]["gains"]:
            rows.append([code, g["candidate_id"], g["new_area_ha"], g["pc_gain_pct"], g["pc_gain_relative_pct"],
                         g["ec_gain_ha"]])
    write_csv(directory / "expected-network-candidates.csv", ["profile", "candidate_id", "new_area_ha", "pc_gain_pct",
                                                              "pc_gain_relative_pct", "ec_gain_ha"], rows)


if __name__ == "__main__":
    self_check()
    print("self-check on toy examples A, B and C of the connectivity README: ok")
