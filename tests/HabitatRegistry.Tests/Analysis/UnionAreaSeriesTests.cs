using HabitatRegistry.Analysis.Accounting;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Operation.Union;

namespace HabitatRegistry.Tests.Analysis;

/// <summary>The bookkeeping of union areas, with planar NTS unions standing in for PostGIS.</summary>
public class UnionAreaSeriesTests
{
    private static readonly WKTReader Wkt = new();

    private static readonly Dictionary<long, Geometry> Shapes = new()
    {
        [1] = Wkt.Read("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))"),       // 100
        [2] = Wkt.Read("POLYGON((5 0, 15 0, 15 10, 5 10, 5 0))"),       // 100, half over 1
        [3] = Wkt.Read("POLYGON((100 0, 110 0, 110 10, 100 10, 100 0))"), // 100, alone
        [4] = Wkt.Read("POLYGON((10 0, 20 0, 20 10, 10 10, 10 0))"),     // touches 1, overlaps 2 by 50
    };

    private static Task<IReadOnlyList<double>> PlanarUnion(IReadOnlyList<long[]> sets, CancellationToken _) =>
        Task.FromResult<IReadOnlyList<double>>(sets.Select(ids => UnaryUnionOp.Union(ids.Select(i => Shapes[i]).ToList()).Area).ToList());

    private static AreaRecord Record(long id, string from, string? until = null) =>
        new(id, new InForcePeriod(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), until is null ? null : DateOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture)), Shapes[id].Area);

    private static IEnumerable<(long, long)> Overlaps(IEnumerable<long> ids) =>
        from a in ids from b in ids where a < b && Shapes[a].Relate(Shapes[b], "T********") select (a, b);

    private static readonly DateOnly[] Years = [new(2020, 3, 31), new(2021, 3, 31), new(2022, 3, 31), new(2023, 3, 31)];

    [Fact]
    public async Task OverlappingLandCountsOnceAndAddedAndRemovedFollowTheUnion()
    {
        // 4 overlaps 2 but only comes into force after the last date.
        AreaRecord[] records = [Record(1, "2020-01-01"), Record(2, "2020-06-01", "2022-06-01"), Record(3, "2021-04-01"), Record(4, "2023-04-01")];
        var series = await UnionAreaSeries.ComputeAsync(records, Overlaps([1, 2, 3, 4]), Years, PlanarUnion);

        Assert.Equal([100, 150, 250, 200], series.Select(s => s.AreaM2));
        Assert.Equal([0, 50, 100, 0], series.Select(s => s.AddedM2));
        Assert.Equal([0, 0, 0, 50], series.Select(s => s.RemovedM2)); // 2 lifted: only its half outside 1 is lost
        Assert.Equal([1, 2, 3, 2], series.Select(s => s.RecordsInForce));
    }

    [Fact]
    public async Task LandStillCoveredByAnotherRecordIsNeitherRemovedNorAddedWhenOneGoes()
    {
        // 2 is lifted while 4 (touching 1) covers the part of 2 outside 1.
        AreaRecord[] records = [Record(1, "2020-01-01"), Record(2, "2020-06-01", "2022-06-01"), Record(4, "2021-05-01")];
        var series = await UnionAreaSeries.ComputeAsync(records, Overlaps([1, 2, 4]), Years, PlanarUnion);

        Assert.Equal([100, 150, 200, 200], series.Select(s => s.AreaM2));
        Assert.Equal([0, 50, 50, 0], series.Select(s => s.AddedM2));
        Assert.Equal([0, 0, 0, 0], series.Select(s => s.RemovedM2));
    }

    [Fact]
    public async Task EachDistinctGroupOfOverlappingRecordsIsUnionedOnce()
    {
        var calls = new List<long[]>();
        Task<IReadOnlyList<double>> Counting(IReadOnlyList<long[]> sets, CancellationToken ct)
        {
            calls.AddRange(sets);
            return PlanarUnion(sets, ct);
        }
        AreaRecord[] records = [Record(1, "2010-01-01"), Record(2, "2010-01-01"), Record(3, "2010-01-01")];
        await UnionAreaSeries.ComputeAsync(records, Overlaps([1, 2, 3]), Years, Counting);

        Assert.Equal([[1L, 2L]], calls);
    }
}
