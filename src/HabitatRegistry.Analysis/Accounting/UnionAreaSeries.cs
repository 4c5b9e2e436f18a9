namespace HabitatRegistry.Analysis.Accounting;

/// <summary>A register record as area accounting sees it: when it is in force and its own area.</summary>
public readonly record struct AreaRecord(long Id, InForcePeriod Period, double AreaM2);

/// <summary>The protected area at one date and how it changed since the date before it.</summary>
public readonly record struct AreaAtDate(DateOnly AsOf, double AreaM2, double AddedM2, double RemovedM2, int RecordsInForce);

/// <summary>Computes the union area of sets of records (ids), one area per set, in one go.</summary>
public delegate Task<IReadOnlyList<double>> UnionAreaOfSets(IReadOnlyList<long[]> sets, CancellationToken cancellationToken);

/// <summary>
/// The area of the union of the records in force at each of a series of dates, where overlapping land
/// counts once. Records that overlap nothing simply add their own area; only groups of overlapping
/// records need a geometric union, and each distinct combination of them is unioned once for the whole
/// series. That keeps a 15-year series over 100,000 parcels to a few thousand small unions.
/// </summary>
public static class UnionAreaSeries
{
    /// <param name="records">Every record that may be in force at one of the dates.</param>
    /// <param name="overlaps">Pairs of record ids whose interiors intersect.</param>
    /// <param name="dates">The dates, ascending; the first is only the baseline for the second's added/removed.</param>
    /// <param name="unionArea">Computes union areas of sets with two or more records.</param>
    /// <param name="cancellationToken">Cancels the union computation.</param>
    public static async Task<IReadOnlyList<AreaAtDate>> ComputeAsync(
        IReadOnlyList<AreaRecord> records,
        IEnumerable<(long A, long B)> overlaps,
        IReadOnlyList<DateOnly> dates,
        UnionAreaOfSets unionArea,
        CancellationToken cancellationToken = default)
    {
        var byId = new Dictionary<long, AreaRecord>(records.Count);
        foreach (var record in records) byId[record.Id] = record;
        var groups = OverlapGroups(byId.Keys, overlaps);
        var isolated = records.Where(r => !groups.ContainsKey(r.Id)).ToList();
        var members = groups.GroupBy(g => g.Value, g => byId[g.Key]).Select(g => g.ToList()).ToList();

        // Per date and group, the ids in force; then every set whose union area is needed.
        var inForce = dates.Select(d => members.Select(m => IdsInForce(m, d)).ToList()).ToList();
        var setAreas = new Dictionary<string, double>();
        var pending = new Dictionary<string, long[]>();
        void Need(long[] ids)
        {
            var key = string.Join(',', ids);
            if (ids.Length == 0) setAreas[key] = 0;
            else if (ids.Length == 1) setAreas[key] = byId[ids[0]].AreaM2;
            else if (!setAreas.ContainsKey(key)) pending[key] = ids;
        }
        for (var i = 0; i < dates.Count; i++)
        {
            for (var g = 0; g < members.Count; g++)
            {
                Need(inForce[i][g]);
                if (i > 0) Need(Merge(inForce[i][g], inForce[i - 1][g]));
            }
        }
        if (pending.Count > 0)
        {
            var keys = pending.Keys.ToList();
            var areas = await unionArea(keys.Select(k => pending[k]).ToList(), cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < keys.Count; k++) setAreas[keys[k]] = areas[k];
        }
        double Area(long[] ids) => setAreas[string.Join(',', ids)];

        var series = new List<AreaAtDate>(dates.Count);
        for (var i = 0; i < dates.Count; i++)
        {
            var date = dates[i];
            double area = 0, added = 0, removed = 0;
            var count = 0;
            foreach (var r in isolated)
            {
                var now = r.Period.IsInForceOn(date);
                var before = i > 0 && r.Period.IsInForceOn(dates[i - 1]);
                if (now) { area += r.AreaM2; count++; }
                if (i > 0 && now && !before) added += r.AreaM2;
                if (i > 0 && before && !now) removed += r.AreaM2;
            }
            for (var g = 0; g < members.Count; g++)
            {
                var current = inForce[i][g];
                area += Area(current);
                count += current.Length;
                if (i == 0) continue;
                // Land added = union of both dates minus the earlier union; removed likewise.
                var previous = inForce[i - 1][g];
                var both = Area(Merge(current, previous));
                added += both - Area(previous);
                removed += both - Area(current);
            }
            series.Add(new AreaAtDate(date, area, added, removed, count));
        }
        return series;
    }

    private static long[] IdsInForce(List<AreaRecord> group, DateOnly date) =>
        group.Where(r => r.Period.IsInForceOn(date)).Select(r => r.Id).Order().ToArray();

    private static long[] Merge(long[] a, long[] b) => a.Union(b).Order().ToArray();

    /// <summary>Connected components of the overlap graph (union-find): record id → group root id.</summary>
    private static Dictionary<long, long> OverlapGroups(IEnumerable<long> ids, IEnumerable<(long A, long B)> overlaps)
    {
        var known = ids.ToHashSet();
        var parent = new Dictionary<long, long>();
        long Find(long x)
        {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        }
        foreach (var (a, b) in overlaps)
        {
            if (!known.Contains(a) || !known.Contains(b)) continue;
            parent.TryAdd(a, a);
            parent.TryAdd(b, b);
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb) parent[ra] = rb;
        }
        return parent.Keys.ToList().ToDictionary(id => id, Find);
    }
}
